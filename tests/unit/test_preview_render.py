"""Rendering thumbnails and the static copy of uploaded HTML (no services needed)."""
from app.previews import render
from tests.conftest import SAMPLES

PNG = b"\x89PNG\r\n\x1a\n"


def test_pdf_and_image_thumbnails_are_small_pngs(tmp_path):
    for made in (render.pdf_thumbnail(SAMPLES / "text_vi.pdf", tmp_path / "a.png", 30),
                 render.image_thumbnail(SAMPLES / "scan_two_pages.tif", tmp_path / "b.png")):
        data = made.read_bytes()
        assert data.startswith(PNG)
        width, height = (int.from_bytes(data[i:i + 4], "big") for i in (16, 20))
        assert 0 < width <= render.THUMB_WIDTH and 0 < height <= render.THUMB_MAX_HEIGHT


def test_broken_files_raise_render_error(tmp_path):
    import pytest

    with pytest.raises(render.RenderError):
        render.pdf_thumbnail(SAMPLES / "truncated_200b.pdf", tmp_path / "a.png", 30)
    with pytest.raises(render.RenderError):
        render.image_thumbnail(SAMPLES / "vi_utf8.txt", tmp_path / "b.png")


def test_uploaded_html_is_rebuilt_without_active_or_remote_content():
    page = ("<html><head><script>alert(1)</script><link rel=stylesheet href=http://x/a.css>"
            "</head><body><form action=/x><h1 onclick='x()'>Tiêu đề</h1>"
            "<img src='http://tracker/p.gif'><iframe src='http://x'></iframe>"
            "<table><tr><td colspan=2 style='x'>Ô <a href='http://x'>liên kết</a></td></tr>"
            "</table><style>p{}</style></form></body></html>").encode()
    out = render.safe_html(page)
    assert "<h1>Tiêu đề</h1>" in out and '<td colspan="2">Ô liên kết</td>' in out
    for bad in ("script", "alert", "http://", "onclick", "style", "<img", "iframe", "href"):
        assert bad not in out, bad
