"""The audit trail records actions and detects tampering."""
from sqlalchemy import text

from tests.conftest import CORPUS

SEED = CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt"


def events(app):
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        return [(e.actor_name, e.action, e.object_id) for e in
                db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]


def test_actions_are_recorded_views_of_secret_documents_too(api, app, run_jobs):
    owner = api("archivist", clearance="mat")
    normal = owner.upload(SEED).get_json()["id"]
    secret = owner.upload(CORPUS / "seeds" / "tin-btttt-huong-dan-qd-1079.txt",
                          secrecy="mat").get_json()["id"]
    run_jobs()
    owner.get(f"/api/v1/documents/{normal}")   # not secret: not a recorded view
    owner.get(f"/api/v1/documents/{secret}")   # secret: recorded
    owner.client.get(f"/documents/{secret}/download", headers=owner.headers)
    name = owner.user.username
    assert events(app)[-4:] == [
        (name, "create", str(normal)), (name, "create", str(secret)),
        (name, "view", str(secret)), (name, "download", str(secret))]


def test_verify_detects_an_edited_row(api, app, run_jobs):
    owner = api("uploader")
    owner.upload(SEED)
    owner.client.get("/documents/1/download", headers=owner.headers)
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "chain intact" in intact.output
    from app.extensions import db

    with app.app_context():
        db.session.execute(text("UPDATE audit_events SET actor_name = 'someone-else' "
                                "WHERE action = 'download'"))
        db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and "content was changed" in broken.output


def test_verify_detects_a_deleted_or_reordered_row(api, app):
    owner = api("uploader")
    owner.upload(SEED)
    for _ in range(2):
        owner.client.get("/documents/1/download", headers=owner.headers)
    from app.extensions import db

    with app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE seq = 3"))
        db.session.commit()
    out = app.test_cli_runner().invoke(args=["audit", "verify"]).output
    assert "was deleted or the order changed" in out


def test_archivists_browse_filter_and_export(api, login, make_user, app):
    owner = api("uploader")
    owner.upload(SEED)
    archivist = login(make_user("archivist"))
    page = archivist.get("/audit/", query_string={"action": "create"}).get_data(as_text=True)
    assert owner.user.username in page
    csv = archivist.get("/audit/export.csv").get_data(as_text=True)
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("seq,time_utc,user,action")
    assert ",create,document,1," in csv
    viewer = login(make_user("viewer"))
    assert viewer.get("/audit/").status_code == 403


def test_trail_hides_documents_above_the_readers_clearance(api, login, make_user):
    owner = api("uploader", clearance="mat")
    secret = owner.upload(SEED, secrecy="mat").get_json()["id"]
    owner.get(f"/api/v1/documents/{secret}")
    plain_archivist = login(make_user("archivist"))
    csv = plain_archivist.get("/audit/export.csv").get_data(as_text=True)
    assert f",document,{secret}," not in csv
    cleared = login(make_user("archivist", clearance="mat"))
    csv = cleared.get("/audit/export.csv").get_data(as_text=True)
    assert f",create,document,{secret}," in csv and f",view,document,{secret}," in csv


def test_a_harvested_record_names_its_source_and_a_repair_where_it_was_restored_from(
        api, login, make_user, app):
    """Two details once shared one label: a harvest's source read "Khôi phục từ"."""
    from app.extensions import db
    from app.services import audit

    owner = api("uploader")
    document_id = owner.upload(SEED).get_json()["id"]
    with app.app_context():
        audit.record(None, "harvest.update", "document", document_id,
                     source="Cổng thông tin tỉnh Lào Cai", identifier="oai:laocai:7")
        audit.record(None, "fixity.repaired", "document", document_id,
                     restored_from="/backup/archive")
        db.session.commit()
    page = login(make_user("archivist")).get("/audit/").get_data(as_text=True)
    assert "Nguồn: Cổng thông tin tỉnh Lào Cai" in page
    assert "Khôi phục từ: /backup/archive" in page
    assert "Khôi phục từ: Cổng thông tin tỉnh Lào Cai" not in page
