"""Query syntax for people: phrases, exclusions, OR, prefixes; nothing breaks it."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS

SEEDS = CORPUS / "seeds"


def archive(api, run_jobs):
    client = api("uploader")
    ids = {name: client.upload(SEEDS / name).get_json()["id"] for name in (
        "tin-2018-cao-bang-kh-3432.txt", "tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt",
        "tin-2023-dien-bien-truyen-thong-chinh-sach.txt")}
    run_jobs()
    return client, ids


def hit_ids(client, query):
    return [h["id"] for h in client.search(query)["hits"]]


def test_exclusion_phrase_or_and_prefix(api, run_jobs):
    client, ids = archive(api, run_jobs)
    cao_bang = ids["tin-2018-cao-bang-kh-3432.txt"]
    briefing = ids["tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt"]
    dien_bien = ids["tin-2023-dien-bien-truyen-thong-chinh-sach.txt"]

    assert cao_bang in hit_ids(client, "tuyên truyền")
    assert cao_bang not in hit_ids(client, "tuyên truyền -Cao")
    assert cao_bang not in hit_ids(client, 'tuyên truyền -"cao bang"')
    assert hit_ids(client, '"thông tin đối ngoại"')[0] == briefing
    assert set(hit_ids(client, "3432/KH-UBND OR 5547/KH-UBND")[:2]) == {cao_bang, dien_bien}
    assert briefing in hit_ids(client, "nhân quy*")
    assert briefing in hit_ids(client, "nhan quy*")


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.text(alphabet='"-*()|+~\\ OR nhânquyề', max_size=40))
def test_any_input_returns_results_or_an_empty_list(api_viewer, query):
    response = api_viewer.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200, (query, response.get_data(as_text=True)[:300])
    assert isinstance(response.get_json()["hits"], list)


def test_search_page_survives_any_input(login, make_user):
    client = login(make_user("viewer"))
    for query in ['"', "-", "((", "\x00", "a" * 10_000, "OR OR", "*"]:
        assert client.get("/search/", query_string={"q": query}).status_code == 200
