"""An official in a real browser: record a periodic and an ad-hoc briefing, attach
a material and press coverage, see the late flag, find the briefing by its
minutes and by its material, and export the dossier that is handed upwards."""
from __future__ import annotations

import hashlib
import re
import time
import zipfile

from playwright.sync_api import Page, expect

from tests.conftest import SAMPLES
from tests.web.test_browser import LIVE_TIMEOUT, choose_file, document_id, log_in, \
    open_upload_page

COPY_A = SAMPLES / "coverage" / "bao-a-hoi-nghi-nhan-quyen.html"
COPY_B = SAMPLES / "coverage" / "cong-b-dang-lai.html"
BRIEFING_URL = re.compile(r"/briefings/(\d+)$")
MINUTES = ("Đại diện Công an tỉnh thông tin về công tác bảo đảm quyền tự do tín ngưỡng "
           "của đồng bào vùng cao và đề nghị báo chí đưa tin chính xác, khách quan.")
MATERIAL_PHRASE = "mô hình dân vận khéo ở bản Huổi Só"


def record_briefing(page: Page, **fields) -> int:
    page.locator("header nav a[href='/briefings/']").click()
    page.locator("a.button[href='/briefings/new']").click()
    form = page.locator("form.briefing-form")
    form.locator("select[name=kind]").select_option(fields["kind"])
    for name in ("title", "held_at", "incident_at", "minutes", "outlets", "chair"):
        if name in fields:
            form.locator(f"[name={name}]").fill(fields[name])
    for host in fields.get("hosts", []):
        form.locator(f"input[name=hosts][value={host}]").check()
    for topic in fields.get("topics", []):
        form.locator(f"input[name=topics][value={topic}]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(BRIEFING_URL)
    expect(page.locator(".flash-success")).to_have_text("Đã ghi nhận hội nghị.")
    expect(page.locator("h1")).to_have_text(fields["title"])
    return int(BRIEFING_URL.search(page.url).group(1))


def find_in_list(page: Page, query: str, briefing_id: int, attempts: int = 10) -> None:
    """Search briefings until ``briefing_id`` is listed (the index refreshes every ~1 s)."""
    for _ in range(attempts):
        page.goto("/briefings/")
        box = page.locator("form.searchbar input[name=q]")
        box.fill(query)
        with page.expect_navigation():
            box.press("Enter")
        link = page.locator(f"a.briefing-title[href='/briefings/{briefing_id}']")
        if link.count():
            expect(page.locator("tr.briefing-row")).to_have_count(1)
            return
        time.sleep(0.5)
    raise AssertionError(f"briefing {briefing_id} not found for {query!r}")


def test_briefing_record_attach_find_export(new_page, live_server, screenshots, tmp_path):
    page = new_page()
    log_in(page, live_server)

    # A talking-points document is archived first, as any upload.
    material = tmp_path / "de-cuong-tuyen-truyen.txt"
    material.write_text(f"Đề cương tuyên truyền tháng 3: giới thiệu {MATERIAL_PHRASE}, "
                        "khẳng định thành tựu bảo đảm quyền con người.", encoding="utf-8")
    open_upload_page(page)
    choose_file(page, material)
    page.locator("input[name=title]").fill("Đề cương tuyên truyền tháng 3")
    page.locator("input[name=number]").fill("12/ĐC-BTG")
    page.locator("form.upload button[type=submit]").click()
    material_id = document_id(page)
    expect(page.locator(f"[data-doc-status='{material_id}']")).to_have_text(
        "đã lập chỉ mục", timeout=LIVE_TIMEOUT)

    periodic = record_briefing(
        page, kind="periodic", title="Hội nghị cung cấp thông tin cho báo chí tháng 3/2024",
        held_at="14/03/2024 14:00", minutes=MINUTES, chair="Phó Trưởng Ban Tuyên giáo",
        outlets="Báo Biên Cương\nĐài PT-TH tỉnh", hosts=["propaganda", "police"],
        topics=["human_rights"])
    expect(page.locator("dl.meta")).to_contain_text("14/03/2024 14:00")
    expect(page.locator(".flag.late")).to_have_count(0)

    # Attach the material by its number.
    attach = page.locator("form.attach-material")
    attach.locator("input[name=reference]").fill("12/ĐC-BTG")
    attach.locator("select[name=role]").select_option("talking_points")
    attach.locator("button[type=submit]").click()
    expect(page.locator(f"tr.material[data-document='{material_id}']")).to_contain_text(
        "Đề cương, nội dung phát ngôn")

    # Coverage: two saved copies of one story from different sites.
    for path, outlet in ((COPY_A, "Báo Biên Cương"), (COPY_B, "Cổng TTĐT tỉnh")):
        page.locator(f"a.button[href='/briefings/{periodic}/coverage/new']").click()
        form = page.locator("form.coverage-form")
        form.locator("input[type=file]").set_input_files(path)
        form.locator("input[name=url]").fill(f"https://example.vn/{path.stem}")
        form.locator("input[name=outlet]").fill(outlet)
        form.locator("input[name=published_on]").fill("15/03/2024")
        form.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/briefings/{periodic}$"))
    expect(page.locator(".flash-info")).to_contain_text("bản đăng lại")
    expect(page.locator("section.coverage .story")).to_have_count(1)
    expect(page.locator("section.coverage .story li.article")).to_have_count(2)
    expect(page.locator("section.coverage .story h3")).to_contain_text("2 bản của cùng một tin")
    page.screenshot(path=str(screenshots / "briefing-periodic.png"), full_page=True)

    # An ad-hoc briefing 30 hours after its incident is flagged late.
    adhoc = record_briefing(
        page, kind="adhoc", title="Họp báo đột xuất về thông tin sai sự thật",
        incident_at="10/04/2024 08:00", held_at="11/04/2024 14:00",
        minutes="Công an tỉnh bác bỏ thông tin sai sự thật.", hosts=["police"],
        topics=["human_rights"])
    flag = page.locator("p.flag.late.response")
    expect(flag).to_be_visible()
    expect(flag).to_contain_text("30 giờ 00 phút")
    expect(flag).to_contain_text("chậm hơn thời hạn 24 giờ")
    page.screenshot(path=str(screenshots / "briefing-adhoc-late.png"), full_page=True)
    page.locator("a[href='/briefings/report/adhoc']").first.click()
    expect(page.locator(f"tr[data-briefing='{adhoc}']")).to_have_class("late")

    # The calendar shows March held and February missing.
    page.goto("/briefings/calendar?year=2024")
    expect(page.locator("li.month[data-month='3']")).to_have_class(re.compile(r"\bheld\b"))
    expect(page.locator("li.month[data-month='2']")).to_have_class(re.compile(r"\bmissing\b"))

    # Found by a phrase from its minutes, and by a phrase from its material.
    find_in_list(page, "quyền tự do tín ngưỡng của đồng bào vùng cao", periodic)
    find_in_list(page, MATERIAL_PHRASE, periodic)
    find_in_list(page, "dan van kheo o ban Huoi So", periodic, attempts=2)  # no diacritics
    # ... and in the main search, as a briefing.
    page.goto("/search/?q=" + "tín ngưỡng đồng bào vùng cao")
    expect(page.locator(f"a.hit-title.briefing[href='/briefings/{periodic}']")).to_be_visible()

    # Export the dossier and check the ZIP against its index.
    page.goto(f"/briefings/{periodic}")
    with page.expect_download() as download_info:
        page.locator("a.export").click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.name.endswith(".zip")
    with zipfile.ZipFile(target) as archive:
        index = archive.read("index.html").decode("utf-8")
        listed = dict(re.findall(r'data-path="([^"]+)" data-sha256="([0-9a-f]{64})"', index))
        assert set(listed) == set(archive.namelist()) - {"index.html"}
        assert len(listed) == 3  # one material, two coverage copies
        for path, sha in listed.items():
            assert hashlib.sha256(archive.read(path)).hexdigest() == sha
    assert "Đề cương tuyên truyền tháng 3" in index and "12/ĐC-BTG" in index
    assert "Báo Biên Cương" in index and "Cổng TTĐT tỉnh" in index

    assert page.problems == [], "\n".join(page.problems)
