"""Generate the small sample files used by tests/unit/test_extractors.py.

Run from the repository root (the generated files are committed; re-running
rewrites them deterministically, except for the encrypted PDFs whose keys/IVs
are random):

    PYTHONPATH=. .venv/bin/python tests/samples/make_samples.py

Needs the corpus at ../shared/corpus (for the first page of a real signed PDF and
a crop of a real scan), poppler-utils (pdftoppm), Pillow and LibreOffice (soffice,
for the Word 97-2003 samples). Every sample is kept under 50 KB.
"""
from __future__ import annotations

import hashlib
import io
import struct
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from config.settings import CORPUS_DIR  # noqa: E402

CORPUS = CORPUS_DIR
MAX_BYTES = 50 * 1024

# Sentences written for the samples (about the press information conference mechanism).
VI_LINES = [
    "Hội nghị cung cấp thông tin cho báo chí về công tác nhân quyền và thông tin đối ngoại",
    "được tổ chức định kỳ hằng tháng, lồng ghép với hội nghị giao ban báo chí của tỉnh.",
    "Khi xảy ra vụ việc liên quan đến nhân quyền, cơ quan chủ trì tổ chức họp báo đột xuất "
    "trong vòng 24 giờ.",
    "Thành phần tham dự gồm lãnh đạo các sở, ban, ngành, Cổng Thông tin điện tử tỉnh và các "
    "cơ quan báo chí Trung ương hoạt động trên địa bàn.",
    "Sở Thông tin và Truyền thông phối hợp với Công an tỉnh chuẩn bị tài liệu cung cấp thông tin.",
]
VI_TEXT = "\n".join(VI_LINES) + "\n"


def deterministic_bytes(n: int, seed: bytes) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(seed + counter.to_bytes(4, "little")).digest()
        counter += 1
    return bytes(out[:n])


def write(name: str, data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{name} is {len(data)} bytes, over the {MAX_BYTES} limit")
    (HERE / name).write_bytes(data)
    print(f"{name:28} {len(data):7d} bytes")


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------

def pdf_from_objects(objects: list[bytes]) -> bytes:
    """Assemble a classic PDF (object i+1 = objects[i], object 1 = catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(dict_entries: bytes, data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        dict_entries += b" /Filter /FlateDecode"
    return b"<< " + dict_entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def image_only_pdf() -> bytes:
    """One A4 page whose only content is a small greyscale image (a fake scan)."""
    w = h = 32
    pixels = bytes((x * 8 + y * 3) % 256 for y in range(h) for x in range(w))
    content = b"q 400 0 0 400 100 300 cm /Im0 Do Q\n"
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"", content),
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d "
               b"/ColorSpace /DeviceGray /BitsPerComponent 8" % (w, h), pixels),
    ])


def real_first_page_pdf() -> bytes:
    """First page of a real Word-exported, digitally signed provincial notice
    (05.signed_20250517_044750.pdf), without embedded font programs, signature
    widgets and the AcroForm, so it stays small. The text layer (fonts' ToUnicode
    maps and content stream) is untouched."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    src = CORPUS / "pdf-text" / "05.signed_20250517_044750.pdf"
    reader = PdfReader(src)
    src_page = reader.pages[0]
    fonts = src_page["/Resources"]["/Font"]
    for font in fonts.values():  # strip font programs in the reader's in-memory objects
        font = font.get_object()
        descriptors = []
        if "/FontDescriptor" in font:
            descriptors.append(font["/FontDescriptor"].get_object())
        for desc in font.get("/DescendantFonts", []):
            desc = desc.get_object()
            if "/FontDescriptor" in desc:
                descriptors.append(desc["/FontDescriptor"].get_object())
        for d in descriptors:
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in d:
                    del d[key]
    box = src_page.mediabox
    writer = PdfWriter()
    page = writer.add_blank_page(float(box.width), float(box.height))
    resources = DictionaryObject()
    for key in ("/Font", "/ExtGState"):
        if key in src_page["/Resources"]:
            resources[NameObject(key)] = src_page["/Resources"][key].clone(writer)
    page[NameObject("/Resources")] = resources
    page[NameObject("/Contents")] = writer._add_object(src_page["/Contents"].get_object().clone(writer))
    page.compress_content_streams()
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf(plain: bytes, user_password: str, owner_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password=user_password, owner_password=owner_password,
                   algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def sample_docx() -> bytes:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK – VĂN BẢN MẪU"
    section.footer.paragraphs[0].text = "Chân trang: tài liệu phục vụ hội nghị cung cấp thông tin"

    # Layout table at the top, as in real decrees: issuer + number left, motto right.
    table = d.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "CHÍNH PHỦ"
    left.add_paragraph("Số: 19/2019/NĐ-CP")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    # nested table inside the right cell
    inner = right.add_table(rows=1, cols=1)
    inner.rows[0].cells[0].paragraphs[0].text = "Hà Nội, ngày 19 tháng 02 năm 2019"

    d.add_paragraph("KẾ HOẠCH")
    for line in VI_LINES:
        d.add_paragraph(line)

    # Merged cells: python-docx's row.cells repeats a merged cell; it must appear once.
    t2 = d.add_table(rows=2, cols=3)
    merged = t2.cell(0, 0).merge(t2.cell(0, 2))
    merged.paragraphs[0].text = "Ô gộp ba cột: họp báo đột xuất"
    t2.cell(1, 0).paragraphs[0].text = "Ban Tuyên giáo và Dân vận"
    t2.cell(1, 1).paragraphs[0].text = "Công an tỉnh"
    t2.cell(1, 2).paragraphs[0].text = "Hội Nhà báo tỉnh"

    body = d.element.body
    sect_pr = body[-1]
    # A content control (w:sdt) block, tracked insertion and deletion, a field code.
    extra = [
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr/><w:sdtContent><w:p><w:r>'
        '<w:t>Nội dung trong điều khiển nội dung (sdt)</w:t></w:r></w:p></w:sdtContent></w:sdt>',
        f'<w:p xmlns:w="{W_NS}"><w:r><w:t xml:space="preserve">Văn bản </w:t></w:r>'
        '<w:ins w:id="1" w:author="A" w:date="2024-05-23T00:00:00Z"><w:r><w:t>đã chèn</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="A" w:date="2024-05-23T00:00:00Z"><w:r><w:delText>ĐÃ XÓA</w:delText></w:r></w:del>'
        '<w:r><w:t xml:space="preserve"> theo dõi thay đổi</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    ]
    for xml in extra:
        sect_pr.addprevious(parse_xml(xml))

    buf = io.BytesIO()
    d.save(buf)
    # Fix the zip member timestamps so the output is reproducible.
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 23, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, payload)
    return out.getvalue()


def crc_damaged_docx(good: bytes) -> bytes:
    """Valid ZIP directory, but the compressed bytes of word/document.xml are damaged."""
    zf = zipfile.ZipFile(io.BytesIO(good))
    info = zf.getinfo("word/document.xml")
    # local header: 30 bytes + name + extra, then data
    name_len, extra_len = struct.unpack_from("<HH", good, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data = bytearray(good)
    for i in range(start + 20, min(start + info.compress_size - 4, start + 220)):
        data[i] ^= 0x5A
    return bytes(data)


# ---------------------------------------------------------------------------
# Encrypted OOXML: an OLE2 compound file with EncryptionInfo + EncryptedPackage
# ---------------------------------------------------------------------------

def ole_compound(streams: list[tuple[str, bytes]]) -> bytes:
    """Minimal CFB v3 writer (512-byte sectors, one FAT sector, every stream >= 4096
    bytes so that no mini stream is needed)."""
    ENDOFCHAIN, FREESECT, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    NOSTREAM = 0xFFFFFFFF
    ssz = 512
    padded = []
    for name, data in streams:
        assert len(data) >= 4096
        padded.append((name, data, data + b"\0" * (-len(data) % ssz)))
    fat = [FATSECT, ENDOFCHAIN]  # sector 0 = FAT, sector 1 = directory
    starts = []
    for _name, _data, pdata in padded:
        n = len(pdata) // ssz
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + n))
        fat.append(ENDOFCHAIN)
    assert len(fat) <= ssz // 4
    fat += [FREESECT] * (ssz // 4 - len(fat))

    def entry(name, etype, left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start=ENDOFCHAIN, size=0):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), etype, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + struct.pack("<I", 0)
                + b"\0" * 16 + struct.pack("<IQ", start, size))

    # Directory: 0 root; streams as a right-leaning chain sorted (length, upper name).
    order = sorted(range(len(padded)), key=lambda i: (len(padded[i][0]), padded[i][0].upper()))
    entries = [None] * (len(padded) + 1)
    entries[0] = entry("Root Entry", 5, child=order[0] + 1)
    for pos, i in enumerate(order):
        right = order[pos + 1] + 1 if pos + 1 < len(order) else NOSTREAM
        entries[i + 1] = entry(padded[i][0], 2, right=right, start=starts[i], size=len(padded[i][1]))
    # unused directory slots are "empty" entries with NOSTREAM links
    empty = (b"\0" * 64 + struct.pack("<HBB", 0, 0, 0)
             + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48)
    assert len(empty) == 128 and len(entries) <= ssz // 128
    directory = b"".join(entries) + empty * (ssz // 128 - len(entries))

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *([FREESECT] * 108)))
    assert len(header) == 512
    fat_sector = struct.pack(f"<{ssz // 4}I", *fat)
    return header + fat_sector + directory + b"".join(p for _n, _d, p in padded)


def encrypted_docx() -> bytes:
    info_xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        b'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    encryption_info = (struct.pack("<HHI", 4, 4, 0x40) + info_xml).ljust(4096, b"\0")
    package = struct.pack("<Q", 12345) + deterministic_bytes(4096, b"EncryptedPackage")
    return ole_compound([("EncryptionInfo", encryption_info), ("EncryptedPackage", package)])


# ---------------------------------------------------------------------------
# HTML, text, images
# ---------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>TIÊU ĐỀ TRANG KHÔNG LẤY</title>
<style>body { font-family: serif } .an { display: none } /* CSS_KHONG_LAY */</style>
<script>var tracking = "SCRIPT_KHONG_LAY";</script>
</head>
<body>
<nav><a href="/">Trang chủ</a> | <a href="/tin">MENU_DIEU_HUONG</a></nav>
<script>alert(1)</script>
<noscript>Trình duyệt không hỗ trợ NOSCRIPT_KHONG_LAY</noscript>
<template><p>TEMPLATE_KHONG_LAY</p></template>
<main>
<h1>Triển khai cơ chế Hội nghị cung cấp thông tin cho báo chí</h1>
<p>Ngày 23/5/2024, UBND tỉnh ban hành công văn số 1778/UBND-KGVX
   về việc triển khai áp dụng cơ chế hội nghị.</p>
<p>Hội nghị định kỳ được lồng ghép với giao ban báo chí;<br>hội nghị đột xuất tổ chức trong vòng 24 giờ.</p>
<table><tr><td>Cơ quan chủ trì</td><td>Ban Tuyên giáo và Dân vận</td></tr>
<tr><td>Phối hợp</td><td>Công an tỉnh &amp; Hội Nhà báo</td></tr></table>
<ul><li>Thông tin đối ngoại</li><li>Nhân quyền</li></ul>
<style>p { color: red } /* STYLE_TRONG_BODY */</style>
</main>
<footer>CHAN_TRANG_WEBSITE</footer>
</body>
</html>
"""


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 (base letter + combining tone byte)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        shape = "".join(m for m in decomposed[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in decomposed[1:] if m not in shape)
        # Recompose the vowel shape (circumflex, breve, horn): cp1258 has â ê ô ă ơ ư.
        base = unicodedata.normalize("NFC", base + shape)
        marks = tones
        out += (base + marks).encode("cp1258")
    return bytes(out)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"\x00\xff\x00\x00"  # one row: filter byte + one RGB pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


RTF = (r"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0 Times New Roman;}}"
       r"\f0\fs26 H\u7897?i ngh\u7883? cung c\u7845?p th\'f4ng tin cho b\'e1o ch\'ed\par}").encode("ascii")


# ---------------------------------------------------------------------------
# Scans (OCR), legacy Word, legacy encodings
# ---------------------------------------------------------------------------

SCAN_SRC = "pdf-scanned/51 QĐ UB.signed_20250219_231940.pdf"
# Page 1 of the scan at 300 dpi: the title block (read from the rendered page):
#   QUYẾT ĐỊNH
#   Về việc phê duyệt Kế hoạch ứng phó sự cố tràn dầu huyện Nghĩa Hành
#   ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
SCAN_TITLE_CROP = (375, 600, 1875, 390)         # x, y, w, h in 300-dpi pixels
# and one line of the body: "Căn cứ Luật Bảo vệ môi trường ngày 17/11/2020;"
SCAN_LINE_CROP = (300, 1325, 1900, 80)


def render_crop(crop: tuple[int, int, int, int], fmt: str = "png") -> bytes:
    import subprocess
    import tempfile

    x, y, w, h = crop
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "crop"
        args = ["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", "-singlefile",
                "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
        subprocess.run(args + ["-png", str(CORPUS / SCAN_SRC), str(out)], check=True)
        png = next(Path(tmp).iterdir()).read_bytes()
    if fmt == "png":
        return png
    from PIL import Image  # pdftoppm writes RGB JPEGs even with -gray

    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("L").save(buf, format="JPEG", quality=50, dpi=(300, 300))
    return buf.getvalue()


def to_bitonal(png: bytes, fmt: str, **save) -> bytes:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L").point(lambda v: 255 if v > 150 else 0).convert("1")
    buf = io.BytesIO()
    img.save(buf, format=fmt, dpi=(300, 300), **save)
    return buf.getvalue()


def two_page_tiff(first_png: bytes, second_png: bytes) -> bytes:
    """A 2-page CCITT G4 TIFF (as fax/scanner software writes them)."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(to_bitonal(p, "PNG"))) for p in (first_png, second_png)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="group4", dpi=(300, 300))
    return buf.getvalue()


def jpeg_pdf(jpeg: bytes, dpi: int = 300) -> bytes:
    """An image-only PDF page showing a greyscale JPEG at *dpi* (a scan)."""
    from PIL import Image

    w, h = Image.open(io.BytesIO(jpeg)).size
    pw, ph = w * 72 / dpi, h * 72 / dpi
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n" % (pw, ph)
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>" % (pw, ph),
        stream(b"", content),
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Filter /DCTDecode" % (w, h), jpeg, compress=False),
    ])


# Sentences of a real decision (QĐ 09/2010/QĐ-UBND, UBND TP Cần Thơ, corpus .doc),
# typed again in the legacy encodings for the legacy-encoding samples.
LEGACY_LINES = [
    "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
    "Căn cứ Luật Khoa học và Công nghệ ngày 09 tháng 6 năm 2000;",
    "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ,",
    "Điều 2. Quyết định này có hiệu lực thi hành sau 10 ngày và đăng Báo Cần Thơ "
    "chậm nhất là 05 ngày, kể từ ngày ký.",
    "Chánh Văn phòng Ủy ban nhân dân thành phố, Giám đốc các sở, Thủ trưởng cơ quan, "
    "ban, ngành thành phố, Chủ tịch Ủy ban nhân dân quận, huyện và các đơn vị có liên quan "
    "chịu trách nhiệm thi hành Quyết định này./.",
]


def legacy_docx(lines: list[str], font: str) -> bytes:
    """A DOCX whose runs use a legacy font and hold the legacy-encoded characters."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    for line in lines:
        run = d.add_paragraph().add_run(line)
        run.font.name = font
        rfonts = run._element.rPr.rFonts
        rfonts.set(qn("w:eastAsia"), font)
        rfonts.set(qn("w:cs"), font)
    buf = io.BytesIO()
    d.save(buf)
    return normalise_zip(buf.getvalue())


def plain_docx(lines: list[str]) -> bytes:
    import docx

    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].paragraphs[0].text = "UBND TỈNH ĐẮK LẮK"
    table.rows[0].cells[1].paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return normalise_zip(buf.getvalue())


def libreoffice_convert(data: bytes, src_suffix: str, target: str) -> bytes:
    """Convert with LibreOffice (e.g. DOCX -> Word 97-2003 "doc:MS Word 97")."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in{src_suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        subprocess.run(["soffice", "--headless", "--norestore",
                        f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                        "--convert-to", target, "--outdir", str(out), str(src)],
                       check=True, capture_output=True, env={**__import__("os").environ, "HOME": tmp})
        return next(out.iterdir()).read_bytes()


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    text_pdf = real_first_page_pdf()
    write("text_vi.pdf", text_pdf)
    write("truncated_40pct.pdf", text_pdf[: int(len(text_pdf) * 0.4)])
    write("truncated_200b.pdf", text_pdf[:200])
    write("encrypted_user_pw.pdf", encrypted_pdf(text_pdf, "mat-khau-nguoi-dung", "chu-so-huu"))
    write("encrypted_owner_only.pdf", encrypted_pdf(text_pdf, "", "chu-so-huu"))
    write("image_only.pdf", image_only_pdf())
    write("empty.pdf", b"")

    good_docx = sample_docx()
    write("table_header_footer.docx", good_docx)
    write("corrupt_truncated.docx", good_docx[: int(len(good_docx) * 0.6)])
    write("corrupt_crc.docx", crc_damaged_docx(good_docx))
    write("encrypted.docx", encrypted_docx())
    write("docx_named_as.pdf", good_docx)  # lying extension

    write("page.html", HTML_PAGE.encode("utf-8"))
    write("vi_utf8.txt", VI_TEXT.encode("utf-8"))
    write("vi_cp1258.txt", to_cp1258(VI_TEXT))
    write("vi_utf16.txt", VI_TEXT.encode("utf-16"))  # with BOM
    write("binary.txt", deterministic_bytes(2048, b"binary") + b"\0" * 2048)
    write("tiny.png", tiny_png())
    write("sample.rtf", RTF)
    write("rtf_named_as.doc", RTF)  # lying extension: RTF saved as .doc

    # OCR: a crop of a real scan (title block), as JPEG, bitonal PNG, image-only PDF,
    # and a 2-page G4 TIFF (title block + one body line).
    from app.extractors.encodings import to_tcvn3, to_vni

    title_jpeg = render_crop(SCAN_TITLE_CROP, "jpeg")
    title_png = render_crop(SCAN_TITLE_CROP)
    write("scan_title.jpg", title_jpeg)
    write("scan_title.png", to_bitonal(title_png, "PNG", optimize=True))
    write("scan_title.pdf", jpeg_pdf(title_jpeg))
    write("scan_two_pages.tif", two_page_tiff(title_png, render_crop(SCAN_LINE_CROP)))

    # Legacy Word 97-2003, written by LibreOffice from DOCX
    write("legacy_word.doc", libreoffice_convert(plain_docx(VI_LINES), ".docx", "doc:MS Word 97"))
    tcvn3_lines = [to_tcvn3(line) for line in LEGACY_LINES]
    write("tcvn3_vntime.doc", libreoffice_convert(legacy_docx(tcvn3_lines, ".VnTime"), ".docx",
                                                  "doc:MS Word 97"))
    # Legacy encodings in text files: the bytes the .VnTime / VNI-Times fonts expect
    write("tcvn3.txt", ("\r\n".join(tcvn3_lines) + "\r\n").encode("cp1252"))
    write("vni.txt", ("\r\n".join(to_vni(line) for line in LEGACY_LINES) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
