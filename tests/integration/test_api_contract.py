"""The API's published contract: /api/v1/openapi.json is valid OpenAPI 3.1, names every
route, and the app keeps it — schemathesis drives every operation from the description
against the real services and no input may get a 5xx.

The fuzz run is bounded (FUZZ_EXAMPLES per operation, a fixed seed, derandomized) so
it stays under about two minutes on two cores and fails the same way twice. It works
on its own fixture archive (documents, a briefing with coverage, a dossier, a
proposal, a hold), authenticated as an admin with a bearer token, so destructive
operations (DELETE, decisions, holds) have real records to act on.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

from tests.conftest import SAMPLES, reset_state

SPEC_URL = "/api/v1/openapi.json"
FUZZ_EXAMPLES = 12
FUZZ_SEED = 20261202
CALLS: Counter = Counter()  # requests per operation in the fuzz run, printed at the end
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance,
          content_type_conformance]


# --- the description itself -----------------------------------------------------------


def test_description_is_valid_openapi_3_1(api_viewer):
    response = api_viewer.get(SPEC_URL)
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises with the offending path when invalid


def test_every_api_route_is_described(app, api_viewer):
    from app.api.spec import api_rules, openapi_path

    spec = api_viewer.get(SPEC_URL).get_json()
    routes = {(openapi_path(rule.rule), method.lower()) for rule, method in api_rules(app)}
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert len(routes) >= 30
    assert routes == described


def test_every_error_answer_is_the_envelope(api_viewer):
    spec = api_viewer.get(SPEC_URL).get_json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, answer in op["responses"].items():
                if int(status) >= 400:
                    ref = answer["$ref"].rsplit("/", 1)[-1]
                    schema = spec["components"]["responses"][ref]["content"][
                        "application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method)
    error = spec["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"code", "message", "fields", "details"}


def test_uploads_ids_and_search_filters_are_precise(api_viewer):
    spec = api_viewer.get(SPEC_URL).get_json()
    schemas = spec["components"]["schemas"]
    upload = spec["paths"]["/api/v1/documents"]["post"]["requestBody"]["content"]
    ref = upload["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    file = schemas[ref]["properties"]["file"]
    assert (file["type"], file["format"]) == ("string", "binary")
    assert "file" in schemas[ref]["required"]
    coverage = spec["paths"]["/api/v1/briefings/{briefing_id}/coverage"]["post"]
    assert "multipart/form-data" in coverage["requestBody"]["content"]
    get_doc = spec["paths"]["/api/v1/documents/{document_id}"]["get"]
    (document_id,) = [p for p in get_doc["parameters"] if p.get("in") == "path"]
    assert document_id["schema"] == {"type": "integer", "minimum": 0, "maximum": 2147483647}
    assert document_id["example"] == 1  # the first record of an archive: fuzzing reaches it
    search = {p["name"]: p for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]
              if p.get("in") == "query"}
    assert {"q", "category", "type", "year", "sort", "page", "per_page"} <= set(search)
    assert search["sort"]["schema"]["enum"] == ["relevance", "newest", "oldest"]
    assert search["per_page"]["schema"]["maximum"] == 100


def test_description_needs_a_login(app):
    response = app.test_client().get(SPEC_URL, headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.get_json()["error"] == {"code": "unauthorized",
                                            "message": "Authentication required.",
                                            "fields": {}, "details": {}}


def test_description_is_built_once(app, api_viewer):
    api_viewer.get(SPEC_URL)
    started = time.perf_counter()
    for _ in range(20):
        assert api_viewer.get(SPEC_URL).status_code == 200
    assert (time.perf_counter() - started) / 20 < 0.05  # cached: no rebuild per request


def test_reference_page_runs_redoc_under_its_own_policy(api_viewer):
    page = api_viewer.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert "worker-src blob:" in policy
    html = page.get_data(as_text=True)
    assert 'spec-url="/api/v1/openapi.json"' in html or "redoc" not in html


# --- one envelope, in the caller's language ---------------------------------------------


def test_validation_errors_name_each_field_in_vietnamese_by_default(api):
    client = api("uploader")
    with (SAMPLES / "vi_utf8.txt").open("rb") as fh:
        response = client.post("/api/v1/documents", data={
            "file": (fh, "a.txt"), "category": "nope", "issue_date": "31/02/2024"},
            content_type="multipart/form-data")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["message"] == "Một số trường thông tin không hợp lệ."
    assert set(error["fields"]) == {"category", "issue_date"}
    assert all(isinstance(m, list) and m for m in error["fields"].values())
    assert error["fields"]["category"][0].startswith("Phải là một trong các giá trị: ")
    assert error["details"]["fields"] == error["fields"]  # kept for older clients


def test_accept_language_en_gives_english(api):
    client = api("uploader")
    response = client.client.post("/api/v1/documents", data={},
                                  content_type="multipart/form-data",
                                  headers={**client.headers, "Accept-Language": "en-GB,en;q=0.8"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["message"] == "Send the file in the multipart field 'file'."
    assert error["fields"] == {"file": ["Required."]}
    english = client.client.post("/api/v1/retention/proposals", json={"action": "x"},
                                 headers={**client.headers, "Accept-Language": "en"})
    assert english.get_json()["error"]["fields"]["reason"] == ["Missing data for required field."]
    vi = client.client.post("/api/v1/documents", data={}, content_type="multipart/form-data",
                            headers={**client.headers, "Accept-Language": "vi"})
    assert vi.get_json()["error"]["message"] != error["message"]


def test_method_not_allowed_is_the_envelope(api_viewer):
    response = api_viewer.client.put("/api/v1/search", headers=api_viewer.headers)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_pages_keep_their_language_rules(login, make_user, app):
    """A browser calling the API from a page gets the page's language, not its own."""
    client = login(make_user("viewer"))
    response = client.get("/api/v1/documents/99999", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Không tìm thấy tài liệu."


@pytest.mark.parametrize("path", ["/api/v1/briefings/articles/1/documents",
                                  "/api/v1/dossiers/1/documents"])
def test_a_json_body_that_is_not_an_object_is_refused_not_a_crash(api, path):
    """Both read ``.get`` off any JSON body: a list made them answer 500."""
    client = api("archivist")
    for body in ([1], "text", 7, {"reference": ["x"], "document_id": "x"}):
        response = client.post(path, json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert response.get_json()["error"]["code"] == "validation_failed"


def test_a_hold_on_a_search_the_index_cannot_run_is_refused_at_once(api):
    """Checked when placed, not later when a deletion asks whether it covers a record."""
    response = api("archivist").post("/api/v1/retention/holds", json={
        "reason": "Thanh tra", "query": {"year": "năm ngoái", "sort": "x"}})
    assert response.status_code == 422
    assert "query.year" in response.get_json()["error"]["fields"]


# --- the fuzz run ---------------------------------------------------------------------


def _fixture_archive(app) -> str:
    """Documents, a briefing with a material and coverage, a dossier, a proposal and a
    hold; returns an admin's bearer token."""
    from app.services.accounts import create_user, issue_token

    reset_state(app)
    with app.app_context():
        create_user("fuzz-admin", "mật-khẩu-đủ-dài-123", role="admin", clearance="tuyet_mat")
        token = issue_token("fuzz-admin")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for name in ("vi_utf8.txt", "vni.txt", "text_vi.pdf", "sample.rtf"):
        with (SAMPLES / name).open("rb") as fh:
            answer = client.post("/api/v1/documents", headers=headers,
                                 data={"file": (fh, name), "title": name,
                                       "category": "report"},
                                 content_type="multipart/form-data")
        assert answer.status_code == 202, answer.get_json()
        ids.append(answer.get_json()["id"])
    briefing = client.post("/api/v1/briefings", headers=headers, json={
        "kind": "periodic", "title": "Họp báo định kỳ", "held_at": "14/03/2024 14:00"})
    assert briefing.status_code == 201, briefing.get_json()
    briefing_id = briefing.get_json()["id"]
    assert client.post(f"/api/v1/briefings/{briefing_id}/materials", headers=headers,
                       json={"reference": str(ids[0])}).status_code == 201
    with (SAMPLES / "coverage" / "bao-a-hoi-nghi-nhan-quyen.html").open("rb") as fh:
        assert client.post(f"/api/v1/briefings/{briefing_id}/coverage", headers=headers,
                           data={"file": (fh, "a.html"), "outlet": "Báo A"},
                           content_type="multipart/form-data").status_code == 201
    dossier = client.post("/api/v1/dossiers", headers=headers,
                          json={"code": "HS-01", "title": "Hồ sơ thử"})
    assert dossier.status_code == 201, dossier.get_json()
    client.post(f"/api/v1/dossiers/{dossier.get_json()['id']}/documents", headers=headers,
                json={"document_id": ids[1]})
    client.post("/api/v1/retention/proposals", headers=headers,
                json={"action": "destroy", "document_ids": [ids[2]], "reason": "Hết hạn"})
    client.post("/api/v1/retention/holds", headers=headers,
                json={"reason": "Thanh tra", "document_id": ids[3]})
    return token


@pytest.fixture(scope="module")
def fuzz_token(app):
    yield _fixture_archive(app)
    if CALLS:
        print(f"\nschemathesis: {len(CALLS)} operations, {sum(CALLS.values())} requests, "
              f"{min(CALLS.values())}-{max(CALLS.values())} per operation: {dict(CALLS)}")


@pytest.fixture(scope="module")
def api_schema(app, fuzz_token):
    headers = {"Authorization": f"Bearer {fuzz_token}"}
    config = SchemathesisConfig.from_dict({
        "seed": FUZZ_SEED,
        "headers": headers,
        "generation": {"mode": "all", "max-examples": FUZZ_EXAMPLES,
                       "deterministic": True, "with-security-parameters": False},
        "phases": {"coverage": {"enabled": True}, "stateful": {"enabled": False}},
    })
    return schemathesis.openapi.from_wsgi(SPEC_URL, app, config=config, headers=headers)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_keeps_its_contract(case, fuzz_token):
    CALLS[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKS)
