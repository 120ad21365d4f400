"""The home dashboard: every number against an archive built here, for four readers.

Thirteen documents (three uploaders, four secrecy levels, statuses, categories, uploads
in January, this month and last year, suggestions waiting, records due), processing
tasks with measured durations, two proposals, holds and four briefings. The numbers
are dated from today (the test runs on any date): January and the current month of
this year. Each reader gets the numbers their clearance and role give, on the page
and in ``GET /api/v1/dashboard``, and every number's link opens a list that shows the
same number.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

PASSWORD = "mật-khẩu-đủ-dài-123"


def _local_today(app):
    from app.models.user import utcnow
    from app.services.briefings import local_time

    with app.app_context():
        now = utcnow()
        return now, local_time(now).date()


@pytest.fixture
def archive(clean):
    return build(clean)


def build(app) -> SimpleNamespace:
    """The archive described in the module docstring; returns users and dates."""
    from app.extensions import db
    from app.models import Document, ProcessingTask
    from app.services import disposition, holds
    from app.services.accounts import create_user
    from app.services.briefings import BriefingData, create_briefing, from_local

    now, today = _local_today(app)
    year, month = today.year, today.month
    with app.app_context():
        nga = create_user("nga", PASSWORD, role="uploader", full_name="Nguyễn Thị Nga")
        mai = create_user("mai", PASSWORD, role="viewer")
        lan = create_user("lan", PASSWORD, role="archivist", clearance="mat",
                          full_name="Trần Thị Lan")
        hung = create_user("hung", PASSWORD, role="approver", clearance="toi_mat",
                           full_name="Lê Văn Hùng")
        month_start = from_local(datetime(year, month, 1))
        this_month = month_start + (now - month_start) / 2  # within this month, before now
        january = from_local(datetime(year, 1, 1, 9, 0))
        last_year = from_local(datetime(year - 1, 6, 10, 9, 0))

        def doc(n, by, secrecy, status, category, uploaded, **kw):
            d = Document(title=f"Tài liệu d{n}", uploaded_by_id=by.id, secrecy=secrecy,
                         status=status, category=category,
                         uploaded_at=uploaded + timedelta(seconds=n), **kw)
            db.session.add(d)
            db.session.flush()
            return d

        d = {
            1: doc(1, nga, "thuong", "indexed", "plan", january),
            2: doc(2, nga, "thuong", "queued", "report", this_month),
            3: doc(3, nga, "thuong", "failed", "report", this_month, error_code="corrupt"),
            4: doc(4, nga, "thuong", "indexed", "plan", this_month, suggestions_pending=True),
            # Raised to "mật" after nga uploaded it: she no longer sees it anywhere.
            5: doc(5, nga, "mat", "indexed", "guidance", this_month, suggestions_pending=True),
            6: doc(6, lan, "mat", "failed", "directive_decision", this_month,
                   error_code="encrypted"),
            7: doc(7, lan, "thuong", "indexed", "report", last_year, disposition="due"),
            8: doc(8, lan, "mat", "indexed", "report", last_year, disposition="due"),
            9: doc(9, lan, "mat", "processing", "guidance", this_month,
                   suggestions_pending=True),
            10: doc(10, hung, "toi_mat", "indexed", "plan", this_month),
            11: doc(11, lan, "thuong", "processing", "official_letter", this_month),
            12: doc(12, lan, "thuong", "indexed", "other", last_year, disposition="due"),
            13: doc(13, hung, "mat", "indexed", "other", last_year, disposition="due"),
        }

        def task(document, lane, status, seconds=None):
            started = now - timedelta(minutes=30)
            db.session.add(ProcessingTask(
                document_id=document.id, kind="extract", lane=lane, status=status,
                started_at=started if status != "queued" else None,
                finished_at=started + timedelta(seconds=seconds) if seconds else None))

        task(d[2], "interactive", "queued")
        task(d[9], "long", "queued")
        task(d[11], "interactive", "running")
        for seconds in (2, 4, 6, 8):
            task(d[1], "interactive", "done", seconds)
        for seconds in (30, 90):
            task(d[10], "long", "done", seconds)
        db.session.commit()
        ids = {n: x.id for n, x in d.items()}

        disposition.propose(lan, "destroy", [ids[12]], "Hết thời hạn bảo quản")
        disposition.propose(hung, "destroy", [ids[13]], "Hết thời hạn bảo quản")
        holds.place_hold(lan, "Thanh tra năm nay", document_id=ids[1])
        released = holds.place_hold(lan, "Nhầm", document_id=ids[7])
        holds.release_hold(lan, released.id, "Đặt nhầm")
        holds.place_hold(hung, "Điều tra", document_id=ids[10])

        def briefing(kind, title, held, incident=None):
            return create_briefing(lan, BriefingData(kind=kind, title=title, held_at=held,
                                                     incident_at=incident)).id

        b = SimpleNamespace(
            january=briefing("periodic", "Giao ban tháng 1", january),
            current=briefing("periodic", "Giao ban tháng này", now - timedelta(minutes=1)),
            upcoming=briefing("adhoc", "Họp báo sắp tới", now + timedelta(days=1),
                              incident=now - timedelta(hours=2)),
            old=briefing("periodic", "Giao ban năm trước", last_year),
        )
        users = {u.username: u.id for u in (nga, mai, lan, hung)}
        db.session.remove()
    return SimpleNamespace(ids=ids, year=year, month=month, briefings=b, users=users)


def months(year, month, january, current):
    """Expected uploads per month of this year (January and this month; none between)."""
    counts = {f"{year}-{m:02d}": 0 for m in range(1, month + 1)}
    counts[f"{year}-01"] += january
    counts[f"{year}-{month:02d}"] += current
    return counts


def expected(archive) -> dict:
    y, m = archive.year, archive.month
    thuong = {"plan": 2, "report": 3, "official_letter": 1, "other": 1}
    mat = {**thuong, "report": 4, "guidance": 2, "other": 2, "directive_decision": 1}
    return {
        "nga": dict(my_uploads=4, processing=2, documents=7, categories=thuong,
                    months=months(y, m, 1, 4), unread=1,
                    waiting={"suggestions": 1, "failed": 1},
                    lanes={"interactive": (1, 1, 5.0, 5.0), "long": (0, 0, 60.0, 0.0)}),
        "mai": dict(my_uploads=0, processing=2, documents=7, categories=thuong,
                    months=months(y, m, 1, 4), unread=0, waiting={},
                    lanes={"interactive": (1, 1, 5.0, 5.0), "long": (0, 0, 60.0, 0.0)}),
        "lan": dict(my_uploads=6, processing=3, documents=12, categories=mat,
                    months=months(y, m, 1, 7), unread=0,
                    waiting={"suggestions": 3, "failed": 2, "due": 2, "holds": 1},
                    lanes={"interactive": (1, 1, 5.0, 5.0), "long": (1, 0, 60.0, 60.0)}),
        "hung": dict(my_uploads=2, processing=3, documents=13,
                     categories={**mat, "plan": 3}, months=months(y, m, 1, 8), unread=1,
                     waiting={"suggestions": 3, "failed": 2, "due": 2, "proposals": 1,
                              "holds": 1},
                     lanes={"interactive": (1, 1, 5.0, 5.0), "long": (1, 0, 60.0, 60.0)}),
    }


def _login(login, name):
    return login(SimpleNamespace(username=name))


@pytest.mark.parametrize("reader", ["nga", "mai", "lan", "hung"])
def test_every_number_through_the_api(archive, api, app, reader):
    from app.services.accounts import issue_token

    want = expected(archive)[reader]
    with app.app_context():
        token = issue_token(reader)
    board = app.test_client().get("/api/v1/dashboard",
                                  headers={"Authorization": f"Bearer {token}"}).get_json()
    assert board["my_uploads"]["value"] == want["my_uploads"]
    assert len(board["my_uploads"]["recent"]) == min(6, want["my_uploads"])
    assert board["queue"]["value"] == want["processing"]
    assert {lane["lane"]: (lane["waiting"], lane["running"], lane["mean_seconds"],
                           lane["wait_seconds"]) for lane in board["queue"]["lanes"]} \
        == want["lanes"]
    assert {c["key"]: c["value"] for c in board["waiting_for_me"]} == want["waiting"]
    assert board["documents"]["value"] == want["documents"]
    assert {c["key"]: c["value"] for c in board["documents"]["by_category"]} \
        == want["categories"]
    assert {c["key"]: c["value"] for c in board["documents"]["per_month"]} == want["months"]
    assert board["unread_notifications"] == want["unread"]
    b = board["briefings"]
    assert b["next"]["id"] == archive.briefings.upcoming
    assert b["latest"]["id"] == archive.briefings.current
    assert b["months_without_periodic"] == list(range(2, archive.month))
    assert b["this_month_held"] is True
    if reader == "hung":
        assert [p["records"] for p in board["proposals_waiting"]] == [1]
        assert board["proposals_waiting"][0]["proposed_by"] == "lan"
    else:
        assert board["proposals_waiting"] == []


def _numbers(html: str) -> dict[str, int]:
    """``data-count`` key -> the number shown, as a person reads the page."""
    found = {}
    for key, inner in re.findall(r'data-count="([^"]+)">(.*?)</a>', html, re.S):
        number = re.search(r'<span class="n[^"]*">(\d+)</span>', inner) or re.match(
            r"\s*(\d+)\s*$", inner)
        found[key] = int(number.group(1))
    return found


def _links(html: str) -> dict[str, str]:
    return {key: href.replace("&amp;", "&")
            for href, key in re.findall(r'<a href="([^"]+)"[^>]*data-count="([^"]+)"', html)}


@pytest.mark.parametrize("reader", ["nga", "lan", "hung"])
def test_every_number_on_the_page_and_the_list_behind_it(archive, login, reader):
    want = expected(archive)[reader]
    client = _login(login, reader)
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Trang chủ</h1>" in html
    shown, links = _numbers(html), _links(html)
    assert shown["my_uploads"] == want["my_uploads"]
    assert shown["processing"] == want["processing"]
    assert shown["documents"] == want["documents"]
    assert {k: shown[k] for k in want["waiting"]} == want["waiting"]
    assert {k.split(":", 1)[1]: v for k, v in shown.items() if k.startswith("by_category:")} \
        == want["categories"]
    assert {k.split(":", 1)[1]: v for k, v in shown.items() if k.startswith("per_month:")} \
        == want["months"]
    assert shown["months_without_periodic"] == max(0, archive.month - 2)
    for key, value in shown.items():
        assert _count_behind(client, links[key]) == value, (key, links[key])


def _count_behind(client, url: str) -> int:
    """The number the linked list shows itself."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.get_data(as_text=True)
    if url.startswith("/documents/"):
        return int(re.search(r'<p class="total">(\d+)', html).group(1))
    if url.startswith("/retention/holds"):
        return int(re.search(r"bạn đã đặt còn hiệu lực: (\d+)", html).group(1))
    if "proposals=waiting" in url:
        return int(re.search(r"chờ tôi phê duyệt: (\d+)", html).group(1))
    if url.startswith("/retention/"):
        return int(re.search(r'Đến hạn xem xét <span class="muted">\((\d+)\)', html).group(1))
    if url.startswith("/briefings/calendar"):
        return len(re.findall(r'class="month missing"', html))
    raise AssertionError(f"no list parser for {url}")


def test_a_viewer_sees_no_work_queue_and_nothing_above_her_clearance(archive, login):
    html = _login(login, "mai").get("/").get_data(as_text=True)
    assert "Tài liệu d5" not in html and "Tài liệu d10" not in html
    assert "Không có việc nào chờ bạn" in html
    assert 'data-count="suggestions"' not in html


def test_my_recent_uploads_newest_first_with_live_status(archive, login):
    html = _login(login, "nga").get("/").get_data(as_text=True)
    section = html.split('data-section="uploads"')[1].split("</section>")[0]
    titles = re.findall(r">(Tài liệu d\d+)</a>", section)
    assert titles == ["Tài liệu d4", "Tài liệu d3", "Tài liệu d2", "Tài liệu d1"]
    ids = archive.ids
    assert f'data-doc-status="{ids[2]}"\n      data-live="1"' in section  # polled by app.js
    assert "Tài liệu d5" not in section  # above her clearance since it was raised


def test_old_search_addresses_still_open_the_search(archive, login):
    client = _login(login, "nga")
    answer = client.get("/?q=nhân+quyền&year=2024")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/search/?")
    assert "q=nh%C3%A2n+quy%E1%BB%81n" in answer.headers["Location"]
    assert client.get("/?lang=en").status_code == 200  # the language switch stays home


def test_the_navigation_has_home_and_search(archive, login):
    html = _login(login, "nga").get("/").get_data(as_text=True)
    nav = html.split('id="site-nav"')[1].split("</nav>")[0]
    assert re.search(r'<a href="/" aria-current="page">Trang chủ</a>', nav)
    assert '<a href="/search/">Tìm kiếm</a>' in nav


def test_the_queue_in_words_from_measured_task_times(archive, login):
    html = _login(login, "lan").get("/").get_data(as_text=True)
    queue = html.split('data-section="queue"')[1].split("</section>")[0]
    uploads, long_work = queue.split('data-lane="long"')
    # Uploads: 1 waiting, 1 running, tasks of 2, 4, 6 and 8 s: about 5 s.
    assert "1 việc đang chờ" in uploads and "1 việc đang chạy" in uploads
    assert "Thời gian chờ ước tính: khoảng 5 giây." in uploads
    # Long work: the "mật" OCR task waits; nothing running; tasks of 30 and 90 s.
    assert "Thời gian chờ ước tính: khoảng 1 phút." in long_work
    assert "mỗi việc mất trung bình khoảng 1 phút" in long_work
    # Nga may not see the "mật" task: no long wait for her.
    html = _login(login, "nga").get("/").get_data(as_text=True)
    long_work = html.split('data-lane="long"')[1].split("</div>")[0]
    assert "0 việc đang chờ" in long_work and "Không phải chờ." in long_work
