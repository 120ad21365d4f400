"""The HTML pages: login, upload form with CSRF, document page, search page."""
import re

from tests.conftest import CORPUS, SAMPLES

SEEDS = CORPUS / "seeds"


def csrf(page_html: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page_html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def test_every_route_refuses_anonymous_requests(app):
    # Public on purpose: OAI-PMH harvesters (the provider checks its own bearer tokens,
    # tests/integration/test_oai_visibility.py).
    public = {"auth.login", "health.healthz", "static", "oai.endpoint", "oai.file", "oai.schema"}
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public:
            continue
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            if url.startswith("/api/"):
                assert response.status_code == 401, (method, url)
            else:
                assert response.status_code in (302, 400), (method, url)
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], (method, url)
            checked += 1
    assert checked >= 15


def test_login_page_is_public_and_in_vietnamese(app):
    page = app.test_client().get("/login")
    assert page.status_code == 200
    assert "Đăng nhập" in page.get_data(as_text=True)
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_wrong_password_is_refused(app, make_user):
    user = make_user()
    client = app.test_client()
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": user.username, "password": "sai-mật-khẩu",
                                           "csrf_token": token})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_upload_form_without_csrf_token_is_refused(login, make_user):
    client = login(make_user())
    with (SEEDS / "tin-2018-cao-bang-kh-3432.txt").open("rb") as fh:
        response = client.post("/documents/upload", data={"files": [(fh, "a.txt")]},
                               content_type="multipart/form-data")
    assert response.status_code == 400


def test_upload_several_files_through_the_form(login, make_user, run_jobs):
    client = login(make_user())
    token = csrf(client.get("/documents/upload").get_data(as_text=True))
    names = ["tin-2018-cao-bang-kh-3432.txt", "tin-2023-dien-bien-truyen-thong-chinh-sach.txt"]
    handles = [(SEEDS / n).open("rb") for n in names]
    try:
        response = client.post("/documents/upload", data={
            "csrf_token": token, "files": [(fh, n) for fh, n in zip(handles, names)],
            "category": "press_coverage", "issue_date": "25/10/2018", "secrecy": "thuong",
            "urgency": "thuong", "doc_type": "",
        }, content_type="multipart/form-data")
    finally:
        for fh in handles:
            fh.close()
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('data-live="1"') == 2  # both shown as processing, updated live
    assert "đang xử lý" in page
    run_jobs()
    listing = client.get("/documents/").get_data(as_text=True)
    # Counted on the status badges: the list's status filter also names the state.
    assert listing.count('class="status status-indexed"') == 2
    assert "đã lập chỉ mục" in listing
    assert "25/10/2018" in listing  # dates as dd/mm/yyyy


def test_single_upload_redirects_to_document_page_showing_metadata(login, make_user, run_jobs):
    client = login(make_user())
    token = csrf(client.get("/documents/upload").get_data(as_text=True))
    with (SEEDS / "tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt").open("rb") as fh:
        response = client.post("/documents/upload", data={
            "csrf_token": token, "files": [(fh, "tin.txt")], "title": "Công văn 1778",
            "number": "1778/UBND-KGVX", "issue_date": "23/05/2024", "category": "official_letter",
            "doc_type": "CV", "secrecy": "thuong", "urgency": "thuong",
        }, content_type="multipart/form-data")
    assert response.status_code == 302
    run_jobs()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Công văn 1778" in page and "1778/UBND-KGVX" in page and "23/05/2024" in page
    assert "đã lập chỉ mục" in page


def test_duplicate_through_the_form_links_to_existing(login, make_user, run_jobs):
    client = login(make_user())
    for attempt in range(2):
        token = csrf(client.get("/documents/upload").get_data(as_text=True))
        with (SEEDS / "tin-2018-cao-bang-kh-3432.txt").open("rb") as fh:
            response = client.post("/documents/upload", data={
                "csrf_token": token, "files": [(fh, "a.txt")], "category": "other",
                "secrecy": "thuong", "urgency": "thuong", "doc_type": ""},
                content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "trùng với tài liệu đã lưu trữ" in page
    assert 'href="/documents/1"' in page


def test_search_page_shows_highlighted_escaped_snippets(login, make_user, api, run_jobs, tmp_path):
    uploader = api("uploader")
    hostile = tmp_path / "hostile.html"
    hostile.write_text("<html><body><p>Nhân quyền &lt;script&gt;alert(1)&lt;/script&gt; "
                       "và thông tin đối ngoại</p></body></html>", encoding="utf-8")
    uploader.upload(hostile, title='<img src=x onerror=alert(1)> Nhân quyền')
    run_jobs()
    client = login(make_user("viewer"))
    page = client.get("/", query_string={"q": "nhan quyen"}).get_data(as_text=True)
    assert "<mark>Nhân quyền</mark>" in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page


def test_failed_document_page_gives_the_reason_and_no_useless_retry(login, make_user, run_jobs,
                                                                     app):
    client = login(make_user())
    token = csrf(client.get("/documents/upload").get_data(as_text=True))
    with (SAMPLES / "truncated_200b.pdf").open("rb") as fh:
        response = client.post("/documents/upload", data={
            "csrf_token": token, "files": [(fh, "hong.pdf")], "category": "other",
            "secrecy": "thuong", "urgency": "thuong", "doc_type": ""},
            content_type="multipart/form-data")
    run_jobs()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "lỗi xử lý" in page
    assert "Tệp bị hỏng hoặc không đầy đủ nên không đọc được." in page
    # A damaged file stays damaged: no retry button (see test_readable_pages for one
    # that is offered), though the service still accepts a retry.
    assert 'data-retry="1"' not in page
    token = csrf(page)
    retry = client.post("/documents/1/retry", data={"csrf_token": token})
    assert retry.status_code == 302


def test_healthz_reports_each_service(clean):
    body = clean.test_client().get("/healthz").get_json()
    assert body["status"] == "ok"
    assert {k: v["status"] for k, v in body["checks"].items()} == {
        "database": "up", "redis": "up", "elasticsearch": "up", "workers": "idle"}


def test_download_of_html_is_an_attachment(login, make_user, api, run_jobs):
    uploader = api("uploader")
    doc_id = uploader.upload(CORPUS / "html" / "vbpl_v1.html").get_json()["id"]
    response = uploader.client.get(f"/documents/{doc_id}/download?inline=1",
                                   headers=uploader.headers)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "application/octet-stream"


def test_admin_creates_users_with_roles(login, make_user, app):
    client = login(make_user("admin"))
    token = csrf(client.get("/admin/users").get_data(as_text=True))
    response = client.post("/admin/users", data={
        "csrf_token": token, "username": "lan.nguyen", "full_name": "Nguyễn Thị Lan",
        "password": "mot-mat-khau-dai", "role": "archivist", "clearance": "mat"})
    assert response.status_code == 302
    assert "lan.nguyen" in client.get("/admin/users").get_data(as_text=True)
    newcomer = app.test_client()
    token = csrf(newcomer.get("/login").get_data(as_text=True))
    assert newcomer.post("/login", data={"username": "lan.nguyen", "password": "mot-mat-khau-dai",
                                         "csrf_token": token}).status_code == 302


def test_non_admin_cannot_manage_users(login, make_user):
    client = login(make_user("archivist"))
    assert client.get("/admin/users").status_code == 403
