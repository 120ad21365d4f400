"""Setting a record's or briefing's sharing level: validate, act, audit, commit.

Every way of changing a level (the edit page, the briefing's sharing form, bulk
work, the API, the publication rule) goes through this module, so the secrecy
rule of ``app.sharing.visibility`` and the audit entry are never skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.domain.vocab import SECRECY_LEVELS, levels_up_to
from app.extensions import db
from app.models import Briefing, Disposition, Document, SharingLevel, User
from app.models.user import utcnow
from app.services import audit
from app.services.access import get_document, require
from app.services.errors import NotFound, ValidationFailed
from app.services.tasks import schedule
from app.services.uow import UnitOfWork
from app.sharing.visibility import OPEN_SECRECY, may_share


# The publication rule's name in audit entries (app.domain.sharing.RULE_LABELS).
COVERAGE_RULE = "briefing_coverage"


class SharingRefused(ValidationFailed):
    """This record may not leave the archive (secrecy, disposition, harvested)."""

    code = "sharing_refused"


def _check_level(level: str) -> None:
    if level not in SharingLevel.ALL:
        raise ValidationFailed(_("Unknown sharing level."),
                               fields={"sharing": _("Unknown sharing level.")})


def refusal(document: Document) -> str | None:
    """Why ``document`` cannot be shared, as a sentence for people; None when it can."""
    if document.is_external:
        return _("This record was harvested from another archive; only that archive can "
                 "share it.")
    if document.disposition in (*Disposition.ERASED, *Disposition.GONE):
        return _("This record has been destroyed, deleted or transferred; it can no longer "
                 "be shared.")
    if document.secrecy != OPEN_SECRECY:
        return _("Only records with secrecy “Thường” can be shared; this one is “%(level)s”.",
                 level=SECRECY_LEVELS[document.secrecy][1])
    return None


def apply_document_level(document: Document, level: str) -> dict:
    """Set the level on a loaded document (no commit); the changes for an audit entry.

    Raises SharingRefused when the record may not leave the archive. Going back
    to internal is always allowed.
    """
    _check_level(level)
    if level != SharingLevel.INTERNAL and not may_share(document):
        message = refusal(document) or _("This record cannot be shared.")
        raise SharingRefused(message, fields={"sharing": message})
    if document.sharing == level:
        return {}
    changes = {"sharing": [document.sharing, level]}
    document.sharing = level
    _stamp(document, level)
    document.bump_revision()
    return changes


def _stamp(record, level: str) -> None:
    """Remember when the record first left (harvesters are told of later withdrawals)."""
    now = utcnow()
    if level in SharingLevel.SHARED and record.shared_at is None:
        record.shared_at = now
    if level == SharingLevel.PUBLIC and record.public_at is None:
        record.public_at = now


def withdraw_if_not_shareable(document: Document) -> dict:
    """After a change of secrecy or disposition: an unshareable record goes back to internal."""
    if document.sharing != SharingLevel.INTERNAL and not may_share(document):
        changes = {"sharing": [document.sharing, SharingLevel.INTERNAL]}
        document.sharing = SharingLevel.INTERNAL
        return changes
    return {}


def may_manage(user: User) -> bool:
    return bool(user.can("sharing.manage"))


def set_document_sharing(user: User, document_id: int, level: str,
                         bulk: bool = False) -> Document:
    """An archivist changes who may see a record outside the archive.

    ``bulk``: part of work on several documents (said so in the audit entry).
    """
    require(user, "sharing.manage")
    document = get_document(user, document_id)
    changes = apply_document_level(document, level)
    if changes:
        audit.record(user, "sharing.set", "document", document.id, changes=changes,
                     **({"bulk": True} if bulk else {}))
        uow = UnitOfWork()
        schedule(uow, document, "index")
        uow.commit()
    return document


@dataclass
class BriefingSharing:
    """What setting a briefing's level did, for the page's message and the API."""

    briefing: Briefing
    changed: bool = False
    published: list[Document] = field(default_factory=list)  # coverage made public by the rule
    refused: list[tuple[Document, str]] = field(default_factory=list)  # coverage left as it was


def set_briefing_sharing(user: User, briefing_id: int, level: str,
                         publish_coverage: bool = False) -> BriefingSharing:
    """An archivist changes who may see a briefing outside the archive.

    ``publish_coverage`` is the publication rule, kept on the briefing: while it
    is public, its press coverage is made public too -- what it has now
    (``publish_briefing_coverage``) and what is added later (``apply_coverage_rule``).
    """
    from app.services.briefings import commit_and_index  # builds on the document services

    require(user, "sharing.manage")
    _check_level(level)
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None:
        raise NotFound(_("Briefing not found."))
    outcome = BriefingSharing(briefing)
    uow = UnitOfWork()
    changes = {}
    if briefing.sharing != level:
        changes["sharing"] = [briefing.sharing, level]
        briefing.sharing = level
        _stamp(briefing, level)
        briefing.bump_revision()
    if briefing.publish_coverage != publish_coverage:
        changes["publish_coverage"] = [briefing.publish_coverage, publish_coverage]
        briefing.publish_coverage = publish_coverage
    if changes:
        audit.record(user, "sharing.set", "briefing", briefing.id, changes=changes)
        outcome.changed = True
    if level == SharingLevel.PUBLIC and publish_coverage:
        publish_briefing_coverage(user, briefing, outcome, uow)
    if outcome.changed or outcome.published:
        commit_and_index(briefing, uow)
    return outcome


def publish_briefing_coverage(user: User, briefing: Briefing, outcome: BriefingSharing,
                              uow: UnitOfWork) -> None:
    """The publication rule: a public briefing's press coverage becomes public.

    Each coverage record is checked on its own (only "Thường" records still
    kept here may leave); refused ones are listed with the reason, and each
    change gets its own audit entry naming the rule and the briefing.
    """
    allowed = levels_up_to(user.clearance)
    for coverage in briefing.coverage:
        document = coverage.article.document
        if document.secrecy not in allowed:
            continue  # above the archivist's clearance: not theirs to see, never public
        reason, changed = _publish_by_rule(user, briefing, document, uow)
        if reason is not None:
            outcome.refused.append((document, reason))
        elif changed:
            outcome.published.append(document)


@dataclass
class RuleOutcome:
    """What the publication rule did to one piece of coverage added to a briefing."""

    applies: bool = False       # the briefing is public with its rule on
    published: bool = False     # the record became public now
    refused: str | None = None  # why it stays as it was (a sentence for people)


def apply_coverage_rule(user: User, briefing: Briefing, document: Document,
                        uow: UnitOfWork) -> RuleOutcome:
    """Coverage was just added to (or linked with) ``briefing``: follow its rule.

    When the briefing is public and its rule is on, ``document`` is made public
    like the coverage it already had (audited as ``sharing.rule``, no commit),
    unless it may not leave (secrecy above "Thường", destroyed, harvested).
    """
    if briefing.sharing != SharingLevel.PUBLIC or not briefing.publish_coverage:
        return RuleOutcome()
    reason, changed = _publish_by_rule(user, briefing, document, uow)
    return RuleOutcome(applies=True, published=changed, refused=reason)


def _publish_by_rule(user: User, briefing: Briefing, document: Document,
                     uow: UnitOfWork) -> tuple[str | None, bool]:
    """(why not, None when allowed; whether the level changed) -- audited when it did."""
    reason = refusal(document)
    if reason is not None:
        return reason, False
    changes = apply_document_level(document, SharingLevel.PUBLIC)
    if changes:
        audit.record(user, "sharing.rule", "document", document.id, changes=changes,
                     rule=COVERAGE_RULE, briefing=briefing.id)
        schedule(uow, document, "index")
    return None, bool(changes)


def follow_coverage_rules(user: User, document: Document, uow: UnitOfWork) -> int | None:
    """``document``'s secrecy was just lowered: where it is press coverage of a public
    briefing whose rule is on, it becomes public too (the rule once refused it above
    "Thường"). Returns the briefing whose rule published it."""
    from sqlalchemy import select

    from app.models import BriefingCoverage, PressArticle

    if document.sharing == SharingLevel.PUBLIC or refusal(document) is not None:
        return None
    briefing = db.session.scalars(  # one rule makes it public; the others have nothing to do
        select(Briefing).join(BriefingCoverage, BriefingCoverage.briefing_id == Briefing.id)
        .join(PressArticle, PressArticle.id == BriefingCoverage.article_id)
        .where(PressArticle.document_id == document.id,
               Briefing.sharing == SharingLevel.PUBLIC, Briefing.publish_coverage.is_(True))
        .order_by(Briefing.id).limit(1)).first()
    if briefing is None:
        return None
    _publish_by_rule(user, briefing, document, uow)
    return briefing.id
