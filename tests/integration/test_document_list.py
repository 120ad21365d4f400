"""/documents/: sorting, every filter, paging, chips, thumbnails and secrecy."""
import re

from tests.integration.listing_factories import day, insert_documents


def titles(page_html: str) -> list[str]:
    return re.findall(r'<a href="/documents/\d+">([^<]+)</a>', page_html)


def test_sorts_by_each_column_both_ways(app, login, make_user):
    user = make_user("viewer")
    insert_documents(app, [
        {"title": "Bình", "number": "2", "symbol": "QĐ-UBND", "number_key": "2/qd-ubnd",
         "issue_date": day(2021)},
        {"title": "An", "number": "3", "symbol": "QĐ-UBND", "number_key": "3/qd-ubnd",
         "issue_date": day(2023)},
        {"title": "Cường", "number": "1", "symbol": "QĐ-UBND", "number_key": "1/qd-ubnd",
         "issue_date": None},
    ])
    client = login(user)

    def order(**args):
        return titles(client.get("/documents/", query_string=args).get_data(as_text=True))

    assert order() == ["Cường", "An", "Bình"]  # newest upload first
    assert order(sort="uploaded", order="asc") == ["Bình", "An", "Cường"]
    assert order(sort="title") == ["An", "Bình", "Cường"]
    assert order(sort="title", order="desc") == ["Cường", "Bình", "An"]
    assert order(sort="number") == ["Cường", "Bình", "An"]
    assert order(sort="number", order="desc") == ["An", "Bình", "Cường"]
    # Undated documents come last in both directions.
    assert order(sort="issue_date") == ["An", "Bình", "Cường"]
    assert order(sort="issue_date", order="asc") == ["Bình", "An", "Cường"]
    page = client.get("/documents/?sort=title").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page
    assert client.get("/documents/?sort=nonsense&page=abc").status_code == 200


def test_every_filter_narrows_the_list_and_shows_a_chip(app, login, make_user):
    from app.extensions import db
    from app.models import Dossier

    uploader = make_user("uploader", username="nguyen.van.a")
    other = make_user("uploader")
    with app.app_context():
        dossier = Dossier(code="HS-2024-01", title="Hồ sơ kế hoạch truyền thông")
        db.session.add(dossier)
        db.session.commit()
        dossier_id = dossier.id
    insert_documents(app, [
        {"title": "Đích", "status": "failed", "category": "plan", "doc_type": "KH",
         "issue_date": day(2022, 5, 4), "issuing_agency": "UBND tỉnh Quảng Ngãi",
         "uploaded_by_id": uploader.id, "dossier_id": dossier_id},
        {"title": "Khác", "status": "indexed", "category": "report", "doc_type": "BC",
         "issue_date": day(2023), "issuing_agency": "Sở TT&TT", "uploaded_by_id": other.id},
    ])
    client = login(make_user("viewer"))
    cases = {
        "status": ("failed", "Trạng thái"), "category": ("plan", "Kế hoạch"),
        "type": ("KH", "Kế hoạch"), "year": ("2022", "2022"),
        "agency": ("UBND tỉnh Quảng Ngãi", "UBND tỉnh Quảng Ngãi"),
        "uploader": (str(uploader.id), "nguyen.van.a"),
        "dossier": (str(dossier_id), "HS-2024-01"),
    }
    for key, (value, shown) in cases.items():
        page = client.get("/documents/", query_string={key: value, "sort": "title"}).get_data(
            as_text=True)
        assert titles(page) == ["Đích"], key
        chips = re.search(r'<ul class="chips".*?</ul>', page, re.S).group(0)
        assert shown in chips, key
        remove = re.search(r'<a href="([^"]+)" class="chip-remove"', chips).group(1)
        assert f"{key}=" not in remove and "sort=title" in remove, (key, remove)
        assert sorted(titles(client.get(remove.replace("&amp;", "&")).get_data(
            as_text=True))) == ["Khác", "Đích"], key


def test_processing_covers_queued_documents(app, login, make_user):
    insert_documents(app, [{"title": "Chờ", "status": "queued"},
                           {"title": "Xong", "status": "indexed"}])
    page = login(make_user("viewer")).get("/documents/?status=processing").get_data(as_text=True)
    assert titles(page) == ["Chờ"]


def test_pages_of_fifty_with_page_links(app, login, make_user):
    insert_documents(app, [{} for _ in range(120)])
    client = login(make_user("viewer"))
    first = client.get("/documents/?sort=title").get_data(as_text=True)
    assert len(titles(first)) == 50 and titles(first)[0] == "Tài liệu 000"
    assert "120 tài liệu" in first
    assert 'href="/documents/?sort=title&amp;page=3"' in first and 'rel="next"' in first
    last = client.get("/documents/?sort=title&page=3").get_data(as_text=True)
    assert titles(last) == [f"Tài liệu {n:03d}" for n in range(100, 120)]
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert titles(client.get("/documents/?sort=title&page=99").get_data(as_text=True)) == \
        titles(last)  # beyond the end: the last page


def test_secrecy_is_inside_the_query_counts_included(app, login, make_user):
    insert_documents(app, [{"title": "Công khai", "category": "plan"},
                           {"title": "Mật kế hoạch", "category": "plan", "secrecy": "mat"},
                           {"title": "Tối mật", "category": "plan", "secrecy": "toi_mat"}])
    normal = login(make_user("viewer")).get("/documents/?category=plan").get_data(as_text=True)
    assert titles(normal) == ["Công khai"] and "1 tài liệu" in normal
    assert "Mật kế hoạch" not in normal
    cleared = login(make_user("viewer", clearance="mat")).get(
        "/documents/?category=plan&sort=title").get_data(as_text=True)
    assert titles(cleared) == ["Công khai", "Mật kế hoạch"] and "2 tài liệu" in cleared


def test_rows_show_status_badge_and_a_thumbnail_cell(app, login, make_user):
    [doc_id] = insert_documents(app, [{"title": "Đang chờ", "status": "queued"}])
    page = login(make_user("viewer")).get("/documents/").get_data(as_text=True)
    assert f'data-doc-status="{doc_id}"' in page and 'data-live="1"' in page
    assert 'class="thumb"' in page
    assert f'name="ids" value="{doc_id}"' in page  # selectable for bulk work


def test_search_page_shows_chips_that_remove_one_filter(app, login, make_user):
    insert_documents(app, [{"title": "Kế hoạch truyền thông", "category": "plan",
                            "issue_date": day(2022), "index": True}])
    page = login(make_user("viewer")).get(
        "/search/?q=truyền thông&category=plan&year=2022").get_data(as_text=True)
    chips = re.search(r'<ul class="chips".*?</ul>', page, re.S).group(0)
    assert "Kế hoạch" in chips and "2022" in chips
    links = re.findall(r'<a href="([^"]+)" class="chip-remove"', chips)
    assert any("category" not in link and "year=2022" in link for link in links)
    assert any("year" not in link and "category=plan" in link for link in links)
    assert 'name="ids"' in page  # hits can be selected for bulk work


def test_counting_stops_at_the_cap(app, login, make_user, monkeypatch):
    from app.services import document_list

    monkeypatch.setattr(document_list, "COUNT_CAP", 6)
    insert_documents(app, [{} for _ in range(9)])
    page = login(make_user("viewer")).get("/documents/?per_page=2").get_data(as_text=True)
    assert "Hơn 6 tài liệu" in page
    assert "Trang 1/3" in page
    assert 'page=4"' not in page


def test_page_window_links_first_last_and_neighbours():
    from app.web.documents.listing import page_window

    assert page_window(1, 1) == [1]
    assert page_window(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert page_window(2, 4) == [1, 2, 3, 4]
