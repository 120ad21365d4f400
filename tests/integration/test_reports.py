"""The periodic report: every number against data built here, per clearance; exports.

The archive of 2024 built below: five briefings (three periodic, two ad-hoc, one
of them 30 hours after its incident), coverage from three outlets (one article
above "thường"), materials (one "tối mật"), documents of several categories,
state-funded products with costs, and a destruction, a transfer, a pending
proposal and holds. Readers of different clearances must get different numbers.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import docx
import pytest

YEAR_2024 = {"period": "year", "year": "2024"}
T2024 = datetime(2024, 6, 1, 3, 0)   # uploaded in 2024 (UTC)
T2015 = datetime(2015, 6, 1, 3, 0)


@pytest.fixture
def archive(clean):
    return build_archive(clean)


def build_archive(app) -> dict:
    """Build the 2024 archive (also used by the browser test); returns the briefing ids."""
    from app.extensions import db
    from app.models import (
        BriefingCoverage, BriefingMaterial, DispositionItem, DispositionProposal, Document,
        Dossier, LegalHold, PressArticle,
    )
    from app.services.accounts import create_user
    from app.services.briefings import BriefingData, create_briefing

    with app.app_context():
        owner = create_user("report-builder", "mật-khẩu-đủ-dài-123", role="admin",
                            clearance="tuyet_mat")

        def briefing(kind, title, held, incident=None, outlets=()):
            return create_briefing(owner, BriefingData(
                kind=kind, title=title, held_at=held, incident_at=incident,
                outlets=list(outlets), hosts=["propaganda"], topics=["human_rights"])).id

        b = {
            # 01/01/2024 05:00 local is 31/12/2023 22:00 UTC: January 2024.
            "jan": briefing("periodic", "Giao ban tháng 1", datetime(2023, 12, 31, 22, 0),
                            outlets=["báo biên cương"]),
            "mar": briefing("periodic", "Giao ban tháng 3", datetime(2024, 3, 14, 7, 0),
                            outlets=["Báo Biên Cương", "Đài PT-TH tỉnh"]),
            "late": briefing("adhoc", "Họp báo đột xuất vụ cháy rừng",
                             datetime(2024, 4, 11, 7, 0), datetime(2024, 4, 10, 1, 0),
                             outlets=["Báo Biên Cương"]),
            "ontime": briefing("adhoc", "Họp báo đột xuất kịp thời",
                               datetime(2024, 5, 10, 13, 0), datetime(2024, 5, 10, 1, 0)),
            # 01/12/2024 06:30 local is 30/11/2024 23:30 UTC: December.
            "dec": briefing("periodic", "Giao ban tháng 12", datetime(2024, 11, 30, 23, 30)),
            "old": briefing("periodic", "Giao ban 2023", datetime(2023, 2, 20, 7, 0),
                            outlets=["Báo Cũ"]),
        }

        def doc(title, category="other", uploaded=T2024, **kw):
            d = Document(title=title, category=category, uploaded_at=uploaded,
                         status="indexed", **kw)
            db.session.add(d)
            db.session.flush()
            return d

        d1 = doc("Quyết định về thông tin đối ngoại", "directive_decision", doc_type="QD",
                 issuing_agency="UBND TỈNH QUẢNG NGÃI")
        doc("Kế hoạch tuyên truyền nhân quyền", "plan", doc_type="KH",
            issuing_agency="Ủy ban nhân dân tỉnh Quảng Ngãi")
        d3 = doc("Kế hoạch mật", "plan", doc_type="KH", secrecy="mat",
                 issuing_agency="Sở Thông tin và Truyền thông")
        doc("Công văn đôn đốc", "official_letter", doc_type="CV")
        doc("Báo cáo năm 2023", "report", doc_type="BC", uploaded=datetime(2023, 12, 1))
        doc("Tải nhầm", "report", doc_type="BC", disposition="deleted")
        m1 = doc("Hướng dẫn tuyên truyền", "guidance", doc_type="HD", number="12",
                 symbol="HD-BTG")
        m2 = doc("Đề cương tối mật", "briefing_material", secrecy="toi_mat")
        db.session.add_all([
            BriefingMaterial(briefing_id=b["mar"], document_id=m1.id, role="guidance"),
            BriefingMaterial(briefing_id=b["late"], document_id=m1.id, role="guidance"),
            BriefingMaterial(briefing_id=b["mar"], document_id=m2.id, role="talking_points"),
        ])

        def article(title, outlet, story_of=None, secrecy="thuong", day=1):
            d = doc(title, "press_coverage", secrecy=secrecy)
            a = PressArticle(document_id=d.id, outlet=outlet, published_on=date(2024, 3, day))
            db.session.add(a)
            db.session.flush()
            a.story_id = story_of.id if story_of else a.id
            return a

        a1 = article("Hội nghị cung cấp thông tin nhân quyền", "Báo Biên Cương", day=15)
        a2 = article("Hội nghị cung cấp thông tin nhân quyền (đăng lại)", "Cổng TTĐT tỉnh",
                     story_of=a1, day=16)
        a3 = article("Bài khác về đối ngoại", "Báo Biên Cương", day=17)
        a4 = article("Bài mật", "Báo X", secrecy="mat", day=18)
        db.session.add_all([BriefingCoverage(briefing_id=b["mar"], article_id=a.id)
                            for a in (a1, a2, a3)])
        db.session.add_all([BriefingCoverage(briefing_id=b["late"], article_id=a.id)
                            for a in (a1, a4)])

        def product(title, kind, cost, decision=None, funding="state_budget",
                    issued=date(2024, 5, 2), **kw):
            return doc(title, "communication_product", funding_source=funding,
                       product_kind=kind, product_cost=cost, approving_decision=decision,
                       issue_date=issued, **kw)

        product("Phim tài liệu nhân quyền", "video", 150_000_000, "15/QĐ-STTTT")
        product("Sổ tay thông tin đối ngoại", "publication", 50_000_000,
                issued=date(2024, 7, 1))
        product("Triển lãm do doanh nghiệp tài trợ", "exhibition", 80_000_000,
                funding="other")
        product("Video mật", "video", 999, "16/QĐ-STTTT", secrecy="mat")
        product("Ấn phẩm 2023", "publication", 7_000_000, "9/QĐ-STTTT",
                issued=date(2023, 11, 1))

        r_destroyed = doc("Hồ sơ hết hạn", "report", uploaded=T2015, disposition="destroyed",
                          disposed_at=datetime(2024, 9, 1))
        r_transferred = doc("Hồ sơ chuyển giao", "report", uploaded=T2015,
                            disposition="transferred", disposed_at=datetime(2024, 10, 1))
        r_hidden = doc("Hồ sơ mật hết hạn", "report", uploaded=T2015, secrecy="mat",
                       disposition="destroyed", disposed_at=datetime(2024, 9, 1))
        doc("Hồ sơ đến hạn", "report", uploaded=T2015, disposition="due")
        r_pending = doc("Hồ sơ chờ duyệt", "report", uploaded=T2015, disposition="proposed")

        def proposal(action, docs, proposed, executed=None, ref=None):
            p = DispositionProposal(action=action, reason="Hết thời hạn", proposed_by_id=owner.id,
                                    proposed_at=proposed, executed_at=executed,
                                    decision_ref=ref, status="executed" if executed else
                                    "proposed")
            p.items = [DispositionItem(document_id=d.id, snapshot={"secrecy": d.secrecy})
                       for d in docs]
            db.session.add(p)

        proposal("destroy", [r_destroyed], datetime(2024, 8, 1), datetime(2024, 9, 1),
                 "20/QĐ-STTTT")
        proposal("transfer", [r_transferred], datetime(2024, 9, 15), datetime(2024, 10, 1),
                 "21/QĐ-STTTT")
        proposal("destroy", [r_hidden], datetime(2024, 8, 1), datetime(2024, 9, 1),
                 "22/QĐ-STTTT")
        proposal("destroy", [r_pending], datetime(2024, 11, 1))
        dossier = Dossier(code="HS-2023-01", title="Hồ sơ tranh chấp")
        db.session.add(dossier)
        db.session.flush()
        db.session.add_all([
            LegalHold(target_type="document", document_id=d1.id, reason="Thanh tra",
                      placed_by_id=owner.id, placed_at=datetime(2024, 3, 1)),
            LegalHold(target_type="document", document_id=d3.id, reason="Điều tra mật",
                      placed_by_id=owner.id, placed_at=datetime(2024, 4, 1)),
            LegalHold(target_type="dossier", dossier_id=dossier.id, reason="Khiếu nại",
                      placed_by_id=owner.id, placed_at=datetime(2023, 5, 1),
                      released_at=datetime(2024, 2, 1), release_reason="Đã giải quyết"),
            LegalHold(target_type="dossier", dossier_id=dossier.id, reason="Khiếu nại mới",
                      placed_by_id=owner.id, placed_at=datetime(2025, 1, 10)),
        ])
        db.session.commit()
        return b


def _report(client, kind="full", **params):
    response = client.get(f"/api/v1/reports/{kind}", query_string={**YEAR_2024, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _rows(section, table, key):
    return {r[key]: r for r in section_table(section, table)}


def section_table(section, key):
    return next(t for t in section["tables"] if t["key"] == key)["rows"]


def test_briefing_numbers(api, archive):
    report = _report(api("viewer"), "briefings")
    assert report["period"] == {"kind": "year", "label": "năm 2024", "from": "01/01/2024",
                                "to": "31/12/2024"}
    s = report["sections"]["briefings"]
    assert s["figures"] == {
        "held": 5, "periodic": 3, "adhoc": 2, "adhoc_late": 1, "months_without_periodic": 9,
        "outlets_attending": 2, "coverage_articles": 3, "coverage_stories": 2, "materials": 1}
    months = _rows(s, "briefings_per_month", "month")
    assert len(months) == 12
    assert {m: (r["periodic"], r["adhoc"]) for m, r in months.items() if r["total"]} == {
        "01/2024": (1, 0), "03/2024": (1, 0), "04/2024": (0, 1), "05/2024": (0, 1),
        "12/2024": (1, 0)}
    adhoc = section_table(s, "adhoc_response")
    assert [(r["title"], r["response_hours"], r["late"]) for r in adhoc] == [
        ("Họp báo đột xuất vụ cháy rừng", 30.0, True), ("Họp báo đột xuất kịp thời", 12.0, False)]
    assert adhoc[0]["incident_at"] == "10/04/2024 08:00" and adhoc[0]["held_at"] == \
        "11/04/2024 14:00"
    assert s["notes"] == ["Họp báo muộn hơn 24 giờ sau sự việc: Họp báo đột xuất vụ cháy rừng."]
    attending = _rows(s, "outlets_attending", "outlet")
    assert {k: r["briefings"] for k, r in attending.items()} == {
        "báo biên cương": 3, "Đài PT-TH tỉnh": 1}
    outlets = _rows(s, "coverage_by_outlet", "outlet")
    assert {k: (r["articles"], r["stories"]) for k, r in outlets.items()} == {
        "Báo Biên Cương": (2, 2), "Cổng TTĐT tỉnh": (1, 1)}
    stories = section_table(s, "coverage_by_story")
    assert [(r["story"], r["articles"], r["outlets"], r["first_published"]) for r in stories] == [
        ("Hội nghị cung cấp thông tin nhân quyền", 2, "Báo Biên Cương, Cổng TTĐT tỉnh",
         "15/03/2024"),
        ("Bài khác về đối ngoại", 1, "Báo Biên Cương", "17/03/2024")]
    assert section_table(s, "materials_by_role") == [
        {"role": "Hướng dẫn, định hướng của Trung ương", "uses": 2, "documents": 1}]
    assert [(r["number_symbol"], r["briefings"]) for r in section_table(s, "materials")] == [
        ("12/HD-BTG", 2)]


def test_briefing_numbers_above_thuong(api, archive):
    s = _report(api("viewer", "toi_mat"), "briefings")["sections"]["briefings"]
    assert s["figures"]["coverage_articles"] == 4 and s["figures"]["coverage_stories"] == 3
    assert s["figures"]["materials"] == 2
    assert _rows(s, "coverage_by_outlet", "outlet")["Báo X"]["articles"] == 1
    assert sorted(r["uses"] for r in section_table(s, "materials_by_role")) == [1, 2]


def test_document_numbers_per_clearance(app, api, archive):
    from app.services.agencies import canonical_name

    expected = {
        "thuong": {"directive_decision": 1, "plan": 1, "official_letter": 1, "guidance": 1,
                   "press_coverage": 3, "communication_product": 4},
        "mat": {"directive_decision": 1, "plan": 2, "official_letter": 1, "guidance": 1,
                "press_coverage": 4, "communication_product": 5},
        "toi_mat": {"directive_decision": 1, "plan": 2, "official_letter": 1, "guidance": 1,
                    "press_coverage": 4, "communication_product": 5, "briefing_material": 1},
    }
    for clearance, categories in expected.items():
        s = _report(api("viewer", clearance), "documents")["sections"]["documents"]
        assert s["figures"]["archived"] == sum(categories.values()), clearance
        assert {r["key"]: r["documents"] for r in section_table(s, "documents_by_category")} \
            == categories, clearance
    s = _report(api("viewer"), "documents")["sections"]["documents"]
    types = {r["key"]: r["documents"] for r in section_table(s, "documents_by_type")}
    assert types == {"QD": 1, "KH": 1, "CV": 1, "HD": 1, None: 7}
    with app.app_context():
        province = canonical_name("UBND TỈNH QUẢNG NGÃI")
        assert canonical_name("Ủy ban nhân dân tỉnh Quảng Ngãi") == province
        department = canonical_name("Sở Thông tin và Truyền thông")
    agencies = {r["key"]: r["documents"] for r in section_table(s, "documents_by_agency")}
    assert agencies == {province: 2, None: 9}  # two spellings of one body; 9 without agency
    assert s["figures"]["agencies"] == 1
    s = _report(api("viewer", "mat"), "documents")["sections"]["documents"]
    agencies = {r["key"]: r["documents"] for r in section_table(s, "documents_by_agency")}
    assert agencies == {province: 2, department: 1, None: 11}


def test_product_numbers_per_clearance(api, archive):
    s = _report(api("viewer"), "products")["sections"]["products"]
    assert s["figures"] == {"products": 2, "total_cost": 200_000_000, "without_decision": 1}
    assert {r["key"]: (r["products"], r["cost"]) for r in section_table(s, "products_by_kind")} \
        == {"video": (1, 150_000_000), "publication": (1, 50_000_000)}
    assert [(r["title"], r["cost"], r["approving_decision"], r["date"])
            for r in section_table(s, "products")] == [
        ("Phim tài liệu nhân quyền", 150_000_000, "15/QĐ-STTTT", "02/05/2024"),
        ("Sổ tay thông tin đối ngoại", 50_000_000, "", "01/07/2024")]
    s = _report(api("viewer", "mat"), "products")["sections"]["products"]
    assert s["figures"] == {"products": 3, "total_cost": 200_000_999, "without_decision": 1}
    quarter = _report(api("viewer"), "products", period="quarter", quarter="2")
    assert quarter["sections"]["products"]["figures"]["products"] == 1  # 02/05 only


def test_retention_numbers_per_clearance(api, archive):
    s = _report(api("archivist"), "retention")["sections"]["retention"]
    assert s["figures"] == {
        "due_now": 1, "proposed_now": 1, "proposed_destroy": 2, "proposed_transfer": 1,
        "destroyed": 1, "transferred": 1, "holds_placed": 1, "holds_active": 2}
    assert [(r["action"], r["decision_ref"], r["records"], r["executed_at"])
            for r in section_table(s, "disposition_decisions")] == [
        ("Hủy", "20/QĐ-STTTT", 1, "01/09/2024"), ("Chuyển giao", "21/QĐ-STTTT", 1, "01/10/2024")]
    holds = section_table(s, "holds")
    assert [(h["placed_at"], h["released_at"]) for h in holds] == [
        ("01/05/2023", "01/02/2024"), ("01/03/2024", "")]
    s = _report(api("approver", "mat"), "retention")["sections"]["retention"]
    assert s["figures"]["destroyed"] == 2 and s["figures"]["proposed_destroy"] == 3
    assert s["figures"]["holds_placed"] == 2 and s["figures"]["holds_active"] == 3
    assert len(section_table(s, "disposition_decisions")) == 3


def test_who_sees_which_sections(api, archive):
    viewer = api("viewer")
    assert viewer.get("/api/v1/reports/retention", query_string=YEAR_2024).status_code == 403
    assert set(_report(viewer)["sections"]) == {"briefings", "documents", "products"}
    assert set(_report(api("archivist"))["sections"]) == {
        "briefings", "documents", "products", "retention"}


def test_periods_and_refusals(api, archive):
    viewer = api("viewer")
    month = _report(viewer, "briefings", period="month", month="4")
    assert month["sections"]["briefings"]["figures"]["held"] == 1
    ranged = viewer.get("/api/v1/reports/briefings",
                        query_string={"from": "01/03/2024", "to": "30/04/2024"}).get_json()
    assert ranged["period"]["kind"] == "range"
    assert ranged["sections"]["briefings"]["figures"]["held"] == 2
    for params, code in (({"from": "31/02/2024"}, 422),
                         ({"from": "01/05/2024", "to": "01/04/2024"}, 422),
                         ({"period": "week"}, 422), ({"format": "pdf"}, 422)):
        response = viewer.get("/api/v1/reports/briefings", query_string=params)
        assert response.status_code == code, params
        assert response.get_json()["error"]["code"] == "validation_failed"
    assert viewer.get("/api/v1/reports/nothing").status_code == 404


def test_csv_of_one_table_and_of_every_table(api, archive):
    viewer = api("viewer")
    one = viewer.get("/api/v1/reports/documents", query_string={
        **YEAR_2024, "format": "csv", "table": "documents_by_category"})
    assert one.status_code == 200 and one.mimetype == "text/csv"
    assert "attachment" in one.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(one.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Nhóm tài liệu", "Tài liệu"]
    assert sum(int(r[1]) for r in rows[1:]) == 11
    every = viewer.get("/api/v1/reports/full", query_string={**YEAR_2024, "format": "csv"})
    text = every.get_data().decode("utf-8-sig")
    for title in ("Họp báo theo tháng", "Văn bản theo lĩnh vực", "Sản phẩm theo loại hình"):
        assert title in text


def _libreoffice_pdf(docx_bytes: bytes, tmp_path: Path) -> str:
    """Convert with LibreOffice (private profile, time limit) and return the PDF's text."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        pytest.fail("LibreOffice is required to check the report file")
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(docx_bytes)
    out = tmp_path / "out"
    subprocess.run(  # nosec B603 - fixed arguments
        [binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(out), str(source)],
        check=True, timeout=180, capture_output=True,
        env={**os.environ, "HOME": str(tmp_path), "SAL_USE_VCLPLUGIN": "svp"})
    pdf = out / "bao-cao.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, "LibreOffice could not open the DOCX"
    if os.environ.get("REPORT_ARTIFACTS_DIR"):  # for the screenshots in docs/
        keep = Path(os.environ["REPORT_ARTIFACTS_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, keep)
        shutil.copy(pdf, keep)
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True,  # nosec B603
                          capture_output=True, timeout=60).stdout.decode("utf-8")


def test_docx_is_an_nd30_report_that_libreoffice_opens(api, archive, tmp_path):
    response = api("archivist").get("/api/v1/reports/full",
                                    query_string={**YEAR_2024, "format": "docx", "lang": "en"})
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    word = docx.Document(io.BytesIO(response.get_data()))
    header = word.tables[0]
    left, right = (c.text for c in header.rows[0].cells)
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in left and "Số:" in left and "/BC-" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right and "ngày" in right and "tháng" in right
    body = "\n".join(p.text for p in word.paragraphs)
    assert "BÁO CÁO" in body and "năm 2024" in body  # Vietnamese even with ?lang=en
    assert "Nơi nhận:" in word.tables[-1].rows[0].cells[0].text
    text = _libreoffice_pdf(response.get_data(), tmp_path)
    squeezed = " ".join(text.split())
    for heading in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                    "BÁO CÁO", "I. HỌP BÁO", "II. VĂN BẢN ĐÃ LƯU TRỮ", "Nơi nhận:",
                    "Họp báo đột xuất vụ cháy rừng", "20/QĐ-STTTT"):
        assert heading in squeezed, heading


def test_report_page_has_charts_with_tables_and_downloads(login, make_user, archive):
    client = login(make_user("viewer"))
    page = client.get("/reports/?period=year&year=2024")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/reports/"' in client.get("/briefings/").get_data(as_text=True)
    assert html.count("<svg") >= 8 and 'role="img"' in html and "<desc" in html
    main = html.split('<main id="main"', 1)[1]  # the header's bell icon is no chart
    assert main.count('<figure>') == main.count("<svg")
    assert 'data-table="briefings_per_month"' in html and "<caption>" in html
    assert '<div data-figure="held"><dt>Số cuộc họp báo</dt><dd>5</dd>' in html
    assert "150.000.000" in html and "Họp báo đột xuất vụ cháy rừng" in html
    assert 'data-section="retention"' not in html  # a viewer: no retention section
    docx_link = client.get("/reports/export?format=docx&from=01/01/2024&to=31/12/2024")
    assert docx_link.status_code == 200 and docx_link.get_data()[:2] == b"PK"
    bad = client.get("/reports/?from=31/02/2024")
    assert bad.status_code == 200 and 'class="flash flash-error"' in bad.get_data(as_text=True)


def test_periods_follow_the_calendar(app):
    from app.services.errors import ValidationFailed
    from app.services.report_model import parse_period

    with app.test_request_context():
        q1 = parse_period({"period": "quarter", "year": "2024", "quarter": "1"})
        assert (q1.start, q1.end, q1.label) == (date(2024, 1, 1), date(2024, 3, 31), "quý 1/2024")
        feb = parse_period({"period": "month", "year": "2024", "month": "2"})
        assert feb.end == date(2024, 2, 29) and feb.label == "tháng 02/2024"
        assert len(parse_period({"from": "15/11/2023", "to": "2024-02-10"}).months()) == 4
        with pytest.raises(ValidationFailed):
            parse_period({"period": "quarter", "year": "2024", "quarter": "5"})
        with pytest.raises(ValidationFailed):
            parse_period({"from": "01/01/1990", "to": "01/01/2024"})  # over 20 years


def test_csv_cells_never_run_as_formulas(app):
    from app.services.report_model import Table
    from app.services.reports import to_csv

    table = Table("t", "T", [("title", "Tiêu đề"), ("n", "Số")],
                  [{"title": "=HYPERLINK(\"http://x\")", "n": -5}, {"title": "@SUM(A1)", "n": 3}])
    rows = list(csv.reader(io.StringIO(to_csv([table]).decode("utf-8-sig"))))
    assert rows == [["Tiêu đề", "Số"], ["'=HYPERLINK(\"http://x\")", "-5"], ["'@SUM(A1)", "3"]]


def test_export_links_keep_the_kind_of_period(login, make_user, archive):
    client = login(make_user("viewer"))
    html = client.get("/reports/?period=quarter&year=2024&quarter=2").get_data(as_text=True)
    assert "Báo cáo: quý 2/2024" in html
    link = re.search(r'href="([^"]+)" data-download="docx"', html).group(1).replace("&amp;", "&")
    assert "period=quarter" in link and "quarter=2" in link
    word = docx.Document(io.BytesIO(client.get(link).get_data()))
    assert any("quý 2/2024" in p.text for p in word.paragraphs)


def test_xlsx_opens_in_libreoffice_with_every_table_and_real_numbers(api, archive, tmp_path):
    """The workbook LibreOffice reads back: one sheet per table, counts as numbers."""
    viewer = api("viewer")
    response = viewer.get("/api/v1/reports/documents", query_string={
        **YEAR_2024, "format": "xlsx", "table": "documents_by_category"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].endswith('.xlsx')
    source = tmp_path / "bang.xlsx"
    source.write_bytes(response.get_data())
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(  # nosec B603 - fixed arguments
        [binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True,
        env={**os.environ, "HOME": str(tmp_path), "SAL_USE_VCLPLUGIN": "svp"})
    rows = list(csv.reader(io.StringIO((tmp_path / "bang.csv").read_text("utf-8"))))
    assert rows[0] == ["Nhóm tài liệu", "Tài liệu"]
    assert sum(int(r[1]) for r in rows[1:]) == 11  # numbers, not text with a quote
    every = viewer.get("/api/v1/reports/full", query_string={**YEAR_2024, "format": "xlsx"})
    from openpyxl import load_workbook
    names = load_workbook(io.BytesIO(every.get_data())).sheetnames
    assert len(names) == len(set(names)) > 3
    assert any(name.startswith("Văn bản theo lĩnh vực") for name in names)
