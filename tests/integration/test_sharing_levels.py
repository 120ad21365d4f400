"""Sharing levels: only "Thường" records leave; raising secrecy withdraws at once; all audited."""
import pytest

from tests.integration.listing_factories import insert_documents


@pytest.fixture
def docs(app, clean):
    return insert_documents(app, [{"title": "Thông cáo báo chí"}, {"title": "Báo cáo mật",
                                                                   "secrecy": "mat"}])


def _visible(principal):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Document
    from app.sharing.visibility import document_visible
    return set(db.session.scalars(select(Document.id).where(document_visible(principal))))


def _withdrawn(principal):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Document
    from app.sharing.visibility import document_withdrawn
    return set(db.session.scalars(select(Document.id).where(document_withdrawn(principal))))


def test_public_record_is_visible_until_its_secrecy_is_raised(app, make_user, docs):
    from app.extensions import db
    from app.models import AuditEvent, User
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_document_sharing
    from app.sharing.visibility import Principal

    open_id, _secret_id = docs
    archivist = make_user("archivist", clearance="tuyet_mat")
    with app.app_context():
        user = db.session.get(User, archivist.id)
        set_document_sharing(user, open_id, "public")
        assert _visible(Principal.PUBLIC) == {open_id}
        assert _visible(Principal.PARTNER) == {open_id}
        assert _withdrawn(Principal.PUBLIC) == set()

        document = get_document(user, open_id)
        fields = {name: getattr(document, name) for name in DocumentMetadata.field_names()}
        update_metadata(user, open_id, DocumentMetadata(**{**fields, "secrecy": "mat"}))
        assert db.session.get(type(document), open_id).sharing == "internal"
        assert _visible(Principal.PUBLIC) == set()
        assert _withdrawn(Principal.PUBLIC) == {open_id}  # harvesters learn it is gone
        actions = [(e.action, e.details.get("changes", {}).get("sharing"))
                   for e in db.session.query(AuditEvent).filter_by(object_id=str(open_id))]
        assert ("sharing.set", ["internal", "public"]) in actions
        assert ("edit", ["public", "internal"]) in actions


def test_secret_records_cannot_be_shared_and_viewers_cannot_share(app, make_user, docs):
    from app.extensions import db
    from app.models import User
    from app.services.errors import PermissionDenied, ValidationFailed
    from app.sharing.levels import set_document_sharing

    open_id, secret_id = docs
    archivist, viewer = make_user("archivist", clearance="mat"), make_user("viewer")
    with app.app_context():
        with pytest.raises(ValidationFailed):
            set_document_sharing(db.session.get(User, archivist.id), secret_id, "partner")
        with pytest.raises(PermissionDenied):
            set_document_sharing(db.session.get(User, viewer.id), open_id, "public")
        with pytest.raises(ValidationFailed):
            set_document_sharing(db.session.get(User, archivist.id), open_id, "everyone")
