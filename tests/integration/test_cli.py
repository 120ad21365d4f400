"""Command line: accounts, tokens, bulk import, reindex, reconcile."""
from tests.conftest import CORPUS, SAMPLES


def test_users_and_tokens_commands(clean, api):
    runner = clean.test_cli_runner()
    result = runner.invoke(args=["users", "create", "hoa.tran", "--role", "archivist"])
    assert result.exit_code == 0, result.output
    assert "with password:" in result.output  # generated and shown once
    again = runner.invoke(args=["users", "create", "hoa.tran", "--role", "viewer"])
    assert again.exit_code != 0 and "đã được sử dụng" in again.output

    token = runner.invoke(args=["tokens", "create", "hoa.tran"]).output.strip()
    client = clean.test_client()
    response = client.get("/api/v1/search", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    wrong = client.get("/api/v1/search", headers={"Authorization": f"Bearer {token}x"})
    assert wrong.status_code == 401


def test_tokens_are_stored_hashed(clean):
    from app.extensions import db
    from app.models import ApiToken

    runner = clean.test_cli_runner()
    runner.invoke(args=["users", "create", "an", "--role", "viewer"])
    token = runner.invoke(args=["tokens", "create", "an"]).output.strip()
    with clean.app_context():
        stored = db.session.scalars(db.select(ApiToken)).one()
        assert stored.token_hash != token and token not in stored.token_hash
        assert stored.token_hash == ApiToken.hash(token)


def test_bulk_import_reports_imported_duplicates_and_failures(clean, make_user, run_jobs,
                                                              tmp_path, api):
    make_user("admin", username="admin")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("tin-2018-cao-bang-kh-3432.txt", "tin-btttt-huong-dan-qd-1079.txt"):
        (folder / name).write_bytes((CORPUS / "seeds" / name).read_bytes())
    (folder / "copy.txt").write_bytes((CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt")
                                      .read_bytes())
    (folder / "hong.pdf").write_bytes((SAMPLES / "truncated_200b.pdf").read_bytes())
    result = clean.test_cli_runner().invoke(args=["archive", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Imported: 3  duplicates: 1  failed: 0" in result.output
    assert "copy.txt" in result.output or "tin-2018" in result.output
    run_jobs()
    viewer = api("viewer")
    statuses = [viewer.get(f"/api/v1/documents/{i}").get_json()["status"] for i in (1, 2, 3)]
    assert sorted(statuses) == ["failed", "indexed", "indexed"]
    # The copy was imported first (sorted names), so it is the document kept.
    assert viewer.search("Cao Bằng")["hits"][0]["title"] == "copy"
    assert viewer.search('"phản bác các luận điệu lợi dụng"')["total"] == 1


def test_reindex_builds_a_new_index_and_swaps_the_alias(clean, api, run_jobs):
    from indexers import client as es_client

    uploader = api("uploader")
    doc_id = uploader.upload(CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt").get_json()["id"]
    run_jobs()
    with clean.app_context():
        before = es_client.indices_behind()
    result = clean.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1 documents, 0 errors" in result.output
    with clean.app_context():
        after = es_client.indices_behind()
        assert len(after) == 1 and after != before
        assert not es_client.es().indices.exists(index=before[0])  # old index removed
    assert [h["id"] for h in uploader.search("Cao Bằng")["hits"]] == [doc_id]


def test_reconcile_command_reports_what_it_scheduled(clean, api):
    uploader = api("uploader")
    uploader.upload(CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt")
    runner = clean.test_cli_runner()
    # Its job waits in the queue: nothing to do (a second job would run it twice).
    assert "0 to extract, 0 to index" in runner.invoke(args=["search", "reconcile"]).output
    from app.extensions import services
    with clean.app_context():
        services.redis.flushdb()  # Redis lost its memory (restarted without persistence)
    result = runner.invoke(args=["search", "reconcile"])
    assert result.exit_code == 0
    assert "1 to extract, 0 to index" in result.output


def test_demo_loads_documents_and_a_briefing_with_its_dossier_once(clean, make_user, run_jobs):
    from app.extensions import db
    from app.models import Briefing

    make_user("admin", username="admin")
    runner = clean.test_cli_runner()
    first = runner.invoke(args=["archive", "demo"])
    assert first.exit_code == 0, first.output
    assert "Demo briefing:" in first.output
    second = runner.invoke(args=["archive", "demo"])
    assert "0 new" in second.output and "Demo briefing:" not in second.output
    run_jobs()
    with clean.app_context():
        briefing = db.session.scalars(db.select(Briefing)).one()
        assert len(briefing.materials) == 3
        assert briefing.dossier.schedule.code == "HB-01"
