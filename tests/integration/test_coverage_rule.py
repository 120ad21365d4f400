"""The press-coverage publication rule is kept on the briefing: coverage added to a public
briefing later (API, the coverage form, a re-upload of an archived article) is published
with it, audited as the rule, and never anything above secrecy "Thường"."""
from pathlib import Path

from tests.integration.sharing_factories import audit_entries, document
from tests.integration.test_briefings import COPY_A, COPY_B, OTHER, PERIODIC
from tests.integration.test_web_pages import csrf


def _briefing(client) -> int:
    response = client.post("/api/v1/briefings", json=PERIODIC)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _coverage(client, briefing_id: int, path: Path, **fields) -> dict:
    with path.open("rb") as fh:
        response = client.post(f"/api/v1/briefings/{briefing_id}/coverage",
                               data={"file": (fh, path.name), "outlet": "Báo Biên Cương",
                                     **fields}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _publish(archivist, briefing_id: int, rule: bool) -> dict:
    answer = archivist.client.put(f"/api/v1/briefings/{briefing_id}/sharing",
                                  headers=archivist.headers,
                                  json={"level": "public", "publish_coverage": rule})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_coverage_added_through_the_api_to_a_public_briefing_is_published(app, api, login):
    archivist, uploader = api("archivist"), api("uploader")
    briefing = _briefing(archivist)
    body = _publish(archivist, briefing, rule=True)
    assert body["publish_coverage"] is True and body["published"] == []
    assert archivist.get(f"/api/v1/briefings/{briefing}").get_json()["publish_coverage"] is True

    added = _coverage(uploader, briefing, COPY_A)
    assert (added["published"], added["sharing_refused"]) == (True, None)
    doc_id = added["article"]["document"]["id"]
    saved = document(app, doc_id)
    assert saved.sharing == "public" and saved.public_at is not None
    [rule] = [e for e in audit_entries(app, "document", doc_id) if e.action == "sharing.rule"]
    assert rule.actor_name == uploader.user.username
    assert rule.details["rule"] == "briefing_coverage" and rule.details["briefing"] == briefing
    assert rule.details["changes"] == {"sharing": ["internal", "public"]}
    # The anonymous portal shows it on the briefing's page and as a record of its own.
    visitor = app.test_client()
    assert visitor.get(f"/cong-khai/tai-lieu/{doc_id}").status_code == 200
    assert f"/cong-khai/tai-lieu/{doc_id}" in visitor.get(
        f"/cong-khai/hop-bao/{briefing}").get_data(as_text=True)
    # The briefing's form shows the rule as kept.
    browser = login(archivist.user)
    page = browser.get(f"/briefings/{briefing}").get_data(as_text=True)
    box = page[page.index('name="publish_coverage"') - 80:page.index("data-publish-coverage")]
    assert "checked" in box
    # The audit trail says it in words: the rule turned on, then applied by it.
    trail = browser.get(f"/audit/?object={briefing}").get_data(as_text=True)
    assert "Công khai tin bài báo chí cùng buổi họp báo: không → có" in trail
    assert "Chia sẻ theo quy tắc" in browser.get(f"/audit/?object={doc_id}").get_data(
        as_text=True)


def test_coverage_added_through_the_form_is_published_with_a_sentence(app, api, login):
    archivist, uploader = api("archivist"), api("uploader")
    briefing = _briefing(archivist)
    _publish(archivist, briefing, rule=True)
    browser = login(uploader.user)
    form = browser.get(f"/briefings/{briefing}/coverage/new").get_data(as_text=True)
    with OTHER.open("rb") as fh:
        response = browser.post(f"/briefings/{briefing}/coverage/new", data={
            "csrf_token": csrf(form), "file": (fh, OTHER.name), "outlet": "Báo Biên Cương",
            "published_on": "15/06/2024"}, content_type="multipart/form-data",
            follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Buổi họp báo đang công khai: tin bài này đã được công khai cùng buổi họp báo." in text
    detail = archivist.get(f"/api/v1/briefings/{briefing}").get_json()
    [article] = detail["coverage"]
    assert document(app, article["document"]["id"]).sharing == "public"
    assert [e.action for e in audit_entries(app, "document", article["document"]["id"])
            if e.action.startswith("sharing.")] == ["sharing.rule"]


def test_without_the_rule_later_coverage_stays_internal(app, api):
    archivist, uploader = api("archivist"), api("uploader")
    briefing = _briefing(archivist)
    body = _publish(archivist, briefing, rule=False)
    assert body["publish_coverage"] is False
    added = _coverage(uploader, briefing, COPY_A)
    assert (added["published"], added["sharing_refused"]) == (False, None)
    doc_id = added["article"]["document"]["id"]
    assert document(app, doc_id).sharing == "internal"
    assert not [e for e in audit_entries(app, "document", doc_id)
                if e.action.startswith("sharing.")]
    # An internal briefing never publishes its coverage, whatever the rule says.
    other = _briefing(archivist)
    added = _coverage(uploader, other, OTHER)
    assert document(app, added["article"]["document"]["id"]).sharing == "internal"


def test_the_rule_refuses_coverage_above_thuong_and_says_why(app, api, login):
    archivist = api("archivist", clearance="mat")
    internal, public = _briefing(archivist), _briefing(archivist)
    _publish(archivist, public, rule=True)
    first = _coverage(archivist, internal, COPY_B)
    doc_id = first["article"]["document"]["id"]
    raised = archivist.client.patch(f"/api/v1/documents/{doc_id}", headers=archivist.headers,
                                    json={"secrecy": "mat"})
    assert raised.status_code == 200, raised.get_json()

    # The same saved page, added to the public briefing: the archived article is linked.
    linked = _coverage(archivist, public, COPY_B)
    assert linked["duplicate_file"] is True and linked["article"]["id"] == first["article"]["id"]
    assert linked["published"] is False
    assert "Thường" in linked["sharing_refused"]
    assert document(app, doc_id).sharing == "internal"
    assert not [e for e in audit_entries(app, "document", doc_id) if e.action == "sharing.rule"]
    visitor = app.test_client()
    assert visitor.get(f"/cong-khai/tai-lieu/{doc_id}").status_code == 404
    assert f"/cong-khai/tai-lieu/{doc_id}" not in visitor.get(
        f"/cong-khai/hop-bao/{public}").get_data(as_text=True)

    # Lowered to "Thường" later: the public briefing's rule publishes it then.
    lowered = archivist.client.patch(f"/api/v1/documents/{doc_id}", headers=archivist.headers,
                                     json={"secrecy": "thuong"})
    assert lowered.status_code == 200, lowered.get_json()
    assert document(app, doc_id).sharing == "public"
    [rule] = [e for e in audit_entries(app, "document", doc_id) if e.action == "sharing.rule"]
    assert rule.details["briefing"] == public
    assert visitor.get(f"/cong-khai/tai-lieu/{doc_id}").status_code == 200
    # Withdrawn on purpose, then edited otherwise: the rule does not publish it again.
    withdrawn = archivist.client.put(f"/api/v1/documents/{doc_id}/sharing",
                                     headers=archivist.headers, json={"level": "internal"})
    assert withdrawn.status_code == 200, withdrawn.get_json()
    retitled = archivist.client.patch(f"/api/v1/documents/{doc_id}", headers=archivist.headers,
                                      json={"summary": "Bài báo về hội nghị"})
    assert retitled.status_code == 200, retitled.get_json()
    assert document(app, doc_id).sharing == "internal"
