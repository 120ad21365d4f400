"""Audit entries as people read them: an action in words and one line per detail.

The entries keep their stable codes and JSON details (the hash chain covers
them, and the CSV export gives them as they are); only the page translates them.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.domain import briefings as briefing_vocab
from app.domain import bulk as bulk_vocab
from app.domain import processing, vocab
from app.domain import sharing as sharing_vocab
from app.i18n import format_date, format_datetime
from app.web.admin.forms import ROLE_LABELS as ROLES

ACTIONS = {
    "create": _l("Created a record"),
    "edit": _l("Edited"),
    "view": _l("Viewed (secret document)"),
    "download": _l("Downloaded the original"),
    "preview": _l("Viewed the original in the browser (secret document)"),
    "export": _l("Exported"),
    "retry": _l("Restarted processing"),
    "delete": _l("Deleted"),
    "user.create": _l("Created an account"),
    "user.deactivate": _l("Locked an account"),
    "user.activate": _l("Unlocked an account"),
    "user.role": _l("Changed an account's role"),
    "user.clearance": _l("Changed an account's clearance"),
    "user.password_reset": _l("Reset an account's password"),
    "user.password_change": _l("Changed their password"),
    "file.attach": _l("Added a file to a record"),
    "schedule.save": _l("Saved a retention series"),
    "schedule.override": _l("Changed a record's retention series"),
    "rule.add": _l("Added an assignment rule"),
    "rule.delete": _l("Deleted an assignment rule"),
    "dossier.save": _l("Saved a dossier"),
    "dossier.add": _l("Filed in a dossier"),
    "dossier.remove": _l("Taken out of a dossier"),
    "hold.place": _l("Placed a legal hold"),
    "hold.release": _l("Released a legal hold"),
    "retention.due": _l("Marked due for review"),
    "retention.not_due": _l("No longer due for review"),
    "disposition.propose": _l("Proposed a disposition"),
    "disposition.approve": _l("Approved a disposition"),
    "disposition.reject": _l("Rejected a disposition"),
    "disposition.blocked": _l("Disposition blocked by a legal hold"),
    "disposition.destroy": _l("Destroyed"),
    "disposition.transfer": _l("Transferred to the historical archive"),
    "disposition.execute": _l("Carried out a disposition"),
    "bulk.start": _l("Started work on several documents"),
    "bulk.done": _l("Finished work on several documents"),
    "harvest_source.create": _l("Added a harvest source"),
    "harvest_source.edit": _l("Changed a harvest source"),
    "harvest.start": _l("Started a harvest"),
    "harvest.create": _l("Harvested from another archive"),
    "harvest.update": _l("Updated from its source archive"),
    "harvest.withdraw": _l("Withdrawn by its source archive"),
    "partner_token.issue": _l("Issued a partner harvesting token"),
    "partner_token.revoke": _l("Revoked a partner harvesting token"),
    "oai.download": _l("Downloaded the original through OAI-PMH"),
    "public.download": _l("Downloaded from the public portal"),
    "share.create": _l("Created a share link"),
    "share.revoke": _l("Revoked a share link"),
    "share.open": _l("Opened through a share link"),
    "share.download": _l("Downloaded through a share link"),
    "share.unlock": _l("Unlocked a share link with its password"),
    "share.password_failed": _l("Wrong password on a share link"),
    "sharing.set": _l("Changed who may see it outside the archive"),
    "sharing.rule": _l("Shared by a rule"),
    "fixity.failed": _l("A stored file was found missing or altered"),
    "fixity.recovered": _l("A stored file was found intact again"),
    "fixity.repaired": _l("A stored file was restored from a backup"),
    "backup.create": _l("Backed up the archive"),
    "backup.restore": _l("Restored the archive from a backup"),
    "backup.replay": _l("Kept destroyed when a backup was restored"),
    "backup.replay_transfer": _l("Kept transferred when a backup was restored"),
    "backup.replay_release": _l("Kept the hold released when a backup was restored"),
    "backup.replay_hold": _l("Placed the hold again when a backup was restored"),
    "saved_search.create": _l("Saved a search"),
    "saved_search.notify": _l("Changed the notifications of a saved search"),
    "saved_search.delete": _l("Deleted a saved search"),
    "notifications.email": _l("Changed their e-mail notifications"),
}

OBJECTS = {
    "document": _l("document"), "briefing": _l("briefing"), "press_article": _l("article"),
    "dossier": _l("dossier"), "schedule": _l("retention series"),
    "retention_rule": _l("assignment rule"), "hold": _l("legal hold"),
    "proposal": _l("proposal"), "user": _l("account"), "bulk": _l("bulk operation"),
    "harvest_source": _l("harvest source"),
    "partner_token": _l("partner harvesting token"),
    "stored_object": _l("stored file"),
    "backup": _l("backup"),
    "saved_search": _l("saved search"),
}

# Detail and field names; document fields share the labels of the metadata form.
FIELDS = {
    "filename": _l("File name"), "file_id": _l("File number"), "sha256": _l("SHA-256"), "secrecy": _l("Secrecy"),
    "urgency": _l("Urgency"), "title": _l("Title"), "category": _l("Category"),
    "doc_type": _l("Document type"), "number": _l("Number"), "symbol": _l("Symbol"),
    "issuing_agency": _l("Issuing agency"), "place": _l("Place"),
    "issue_date": _l("Issue date"), "summary": _l("Summary (trích yếu)"),
    "signer_name": _l("Signer"), "signer_position": _l("Signer's position"),
    "recipients": _l("Recipients"), "language": _l("Language"), "page_count": _l("Pages"),
    "notes": _l("Notes"), "funding_source": _l("Funding"), "product_kind": _l("Product kind"),
    "product_cost": _l("Cost (VND)"), "approving_decision": _l("Approving decision"),
    "reason": _l("Reason"), "note": _l("Remarks"), "code": _l("Code"), "kind": _l("Kind"),
    "role": _l("Role"), "username": _l("Username"), "clearance": _l("Clearance"),
    "target": _l("Held"), "document_id": _l("Document"), "dossier_id": _l("Dossier"),
    "dossier": _l("Dossier"), "query": _l("Search"), "briefing": _l("Briefing"),
    "attached_to_briefing": _l("Attached to briefing"),
    "removed_from_briefing": _l("Removed from briefing"),
    "coverage_added": _l("Coverage added"), "reports_on": _l("Reports on document"),
    "url": _l("Address (URL)"), "outlet": _l("Press outlet"), "story_id": _l("Story"),
    "schedule": _l("Series"), "before": _l("Series before"), "after": _l("Series after"),
    "due_on": _l("Due on"), "today": _l("Checked on"), "documents": _l("Documents"),
    "proposal": _l("Proposal"), "decision_ref": _l("Decision number"),
    "package": _l("Transfer package"), "package_sha256": _l("Package SHA-256"),
    "previous_error": _l("Previous error"), "retention_years": _l("Retention"),
    "permanent": _l("Permanent"), "trigger": _l("The period starts at"),
    "action": _l("When it ends"), "legal_basis": _l("Legal basis"), "year": _l("Year"),
    "start_date": _l("Start date"), "end_date": _l("Closing date"),
    "schedule_id": _l("Series"), "held_at": _l("Date and time"), "hosts": _l("Host bodies"),
    "topics": _l("Topics"), "outlets": _l("Attending press outlets"), "chair": _l("Chair"),
    "spokespeople": _l("Spokespeople"), "minutes": _l("Summary or minutes"),
    "incident_at": _l("Incident date and time (ad-hoc)"),
    "incident_summary": _l("Incident (ad-hoc)"), "snapshot": _l("Record as it was"),
    "date_from": _l("From"), "date_to": _l("To"), "cites": _l("Cites"),
    "bulk_action": _l("Operation"), "total": _l("Documents"),
    "bulk": _l("Part of work on several documents"), "changed": _l("Changed"),
    "unchanged": _l("Already so, or not applicable"),
    "skipped": _l("Skipped: not permitted"), "failed": _l("Failed"),
    "source": _l("Source"), "identifier": _l("Identifier in the source archive"),
    "datestamp": _l("Last changed in the source archive"), "run": _l("Harvest run"),
    "agency": _l("Agency"), "prefix": _l("Starts with"),
    "principal": _l("Harvested as"), "partner_token": _l("Partner token"),
    "share_link": _l("Share link"), "recipient": _l("Recipient"),
    "expires_on": _l("Works until"), "password": _l("Password"),
    "address": _l("Address (IP)"), "locked": _l("Locked for a while"),
    "sharing": _l("Sharing"), "rule": _l("Rule"),
    "publish_coverage": _l("Press coverage published with it"),
    "observed_sha256": _l("SHA-256 found"), "restored_from": _l("Restored from"),
    "fixity_status": _l("Found"),
    "location": _l("Backup folder"), "objects": _l("Stored files"),
    "copied": _l("Files copied"), "bytes": _l("Bytes copied"), "complete": _l("Complete"),
    "replayed": _l("Records kept destroyed"), "dropped_renderings": _l("Renderings to make again"),
    "migrated_from": _l("Database upgraded from version"), "problems": _l("Problems"),
    "backup": _l("Backup"), "tombstone_from": _l("Destruction known from"),
    "replayed_from": _l("Known from"),
    "original_hold_id": _l("Hold number before the restore"),
    "disposition": _l("State"), "disposed_at": _l("Destroyed or deleted on"),
    "original_seq": _l("Original audit entry"), "original_hash": _l("Original entry's hash"),
    "original_actor": _l("Originally done by"), "original_at": _l("Originally done at"),
    "name": _l("Name"), "notify": _l("Notify of new matches"), "email": _l("E-mail address"),
    "enabled": _l("E-mail on"), "q": _l("Words"), "record_type": _l("Record type"),
    "sort": _l("Sort"), "type": _l("Document type"),
}


# Values that are keys of a vocabulary, by the name of the detail holding them.
VALUES = {
    "secrecy": {k: label for k, (_rank, label) in vocab.SECRECY_LEVELS.items()},
    "clearance": {k: label for k, (_rank, label) in vocab.SECRECY_LEVELS.items()},
    "urgency": vocab.URGENCY_LEVELS, "category": vocab.CATEGORIES,
    "doc_type": vocab.DOCUMENT_TYPES, "funding_source": vocab.FUNDING_SOURCES,
    "product_kind": vocab.PRODUCT_KINDS, "trigger": vocab.RETENTION_TRIGGERS,
    "action": vocab.RETENTION_ACTIONS, "role": {**ROLES, **briefing_vocab.MATERIAL_ROLES},
    "kind": {**vocab.RETENTION_ACTIONS, **briefing_vocab.KINDS},
    "target": {"document": _l("a document"), "dossier": _l("a dossier"),
               "query": _l("a saved search")},
    "hosts": briefing_vocab.HOSTS, "topics": briefing_vocab.TOPICS,
    "previous_error": processing.ERROR_MESSAGES, "bulk_action": bulk_vocab.ACTION_LABELS,
    "principal": {"public": _l("the public"), "partner": _l("a partner agency")},
    "sharing": sharing_vocab.LEVEL_LABELS, "rule": sharing_vocab.RULE_LABELS,
    "disposition": vocab.DISPOSITIONS,
    "tombstone_from": {"database": _l("the database the restore replaced"),
                       "file": _l("a file of destroyed records")},
    "replayed_from": {"database": _l("the database the restore replaced"),
                      "file": _l("a file of destroyed records")},
    "fixity_status": {"missing": _l("the file is missing"),
                      "altered": _l("the file's bytes have changed")},
}

LONG = 160  # characters of a long text shown before it is cut


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def object_label(object_type: str | None) -> str:
    return str(OBJECTS.get(object_type or "", object_type or ""))


def detail_lines(details: dict | None) -> list[Markup]:
    """One line per detail: ``Title: old → new`` for a change, ``File name: a.pdf``."""
    lines = []
    for name, value in (details or {}).items():
        if name == "changes" and isinstance(value, dict):
            for field, change in value.items():
                old, new = (change + [None, None])[:2] if isinstance(change, list) else (
                    None, change)
                lines.append(Markup("{}: {} → {}").format(
                    _label(field), _value(field, old), _value(field, new)))
        elif name == "snapshot":
            continue  # the record as it was before deletion: kept for the CSV, too long here
        elif value not in (None, "", [], {}):
            lines.append(Markup("{}: {}").format(_label(name), _value(name, value)))
    return lines


# A saved search's parameters (holds on a search) -> the detail names above.
SEARCH_KEYS = {"category": "category", "type": "doc_type", "secrecy": "secrecy",
               "agency": "issuing_agency", "year": "year", "date_from": "date_from",
               "date_to": "date_to", "cites": "cites"}


def search_terms(query: dict | None) -> str:
    """A saved search in words: "nhân quyền; Nhóm tài liệu: Báo cáo; Năm: 2012"."""
    query = query or {}
    parts = [str(query["q"])] if query.get("q") else []
    for key, value in query.items():
        if key != "q" and value not in (None, ""):
            name = SEARCH_KEYS.get(key, key)
            parts.append(f"{_label(name)}: {_value(name, value)}")
    return "; ".join(parts)


def _label(name: str) -> str:
    return str(FIELDS.get(name, name.replace("_", " ")))


def _value(name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list):
        return ", ".join(_value(name, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(k, v)}" for k, v in value.items())
    names = VALUES.get(name)
    if names is not None and str(value) in names:
        return str(names[str(value)])
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return format_date(date.fromisoformat(text))
        except ValueError:
            pass
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":
        try:  # a time in UTC, as the entries keep them
            return format_datetime(datetime.fromisoformat(text))
        except ValueError:
            pass
    return text if len(text) <= LONG else text[:LONG] + "…"

