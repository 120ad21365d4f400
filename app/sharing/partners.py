"""Partner agencies' harvesting tokens for ``/oai``: issue, list, revoke, authenticate.

A token is shown once, when issued; only its SHA-256 is kept. ``actor`` is None
only for the command line (``flask share token ...``). Issuing and revoking are
audited; a revoked token is refused at once (HTTP 401), never treated as public.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.extensions import db
from app.models import PartnerToken, User
from app.models.user import utcnow
from app.services import audit
from app.services.access import require
from app.services.errors import NotFound, ValidationFailed

LAST_USE_RESOLUTION = timedelta(minutes=1)  # "last used" is shown to the minute
MAX_AGENCY = 300


def issue_token(agency: str, actor: User | None) -> tuple[PartnerToken, str]:
    """A new token for ``agency``; the token text is returned this once."""
    if actor is not None:
        require(actor, "sharing.admin")
    agency = " ".join((agency or "").split())
    if not agency or len(agency) > MAX_AGENCY:
        message = (_("Name the partner agency.") if not agency else
                   _("At most %(n)d characters.", n=MAX_AGENCY))
        raise ValidationFailed(message, fields={"agency": message})
    row, token = PartnerToken.issue(agency, actor)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "partner_token.issue", "partner_token", row.id, agency=agency,
                 prefix=row.prefix)
    db.session.commit()
    return row, token


def revoke_token(reference: int | str, actor: User | None) -> PartnerToken:
    """Revoke a token, by id or by the prefix shown in the list; harvesting stops at once."""
    if actor is not None:
        require(actor, "sharing.admin")
    row = find_token(reference)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(actor, "partner_token.revoke", "partner_token", row.id, agency=row.agency,
                     prefix=row.prefix)
        db.session.commit()
    return row


def find_token(reference: int | str) -> PartnerToken:
    text = str(reference).strip()
    row = (db.session.get(PartnerToken, int(text)) if text.isdigit() and len(text) < 10 else
           db.session.scalar(select(PartnerToken).where(PartnerToken.prefix == text)))
    if row is None:
        raise NotFound(_("No such partner token."))
    return row


def list_tokens(actor: User | None) -> list[PartnerToken]:
    if actor is not None:
        require(actor, "sharing.admin")
    return list(db.session.scalars(select(PartnerToken).order_by(
        PartnerToken.revoked_at.is_not(None), PartnerToken.created_at.desc(),
        PartnerToken.id.desc())))


def authenticate(token: str) -> PartnerToken | None:
    """The live token with this text, its last use noted; None if unknown or revoked."""
    row = db.session.scalar(select(PartnerToken).where(
        PartnerToken.token_hash == PartnerToken.hash(token.strip()),
        PartnerToken.revoked_at.is_(None)))
    if row is None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USE_RESOLUTION:
        # On its own connection, as for API tokens: the request's session stays read-only.
        with db.engine.begin() as conn:
            conn.execute(update(PartnerToken).where(PartnerToken.id == row.id)
                         .values(last_used_at=now))
    return row
