"""What the briefing's sharing form tells the archivist, in sentences."""
from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from app.domain.sharing import LEVEL_LABELS
from app.sharing.levels import BriefingSharing, RuleOutcome

SHOWN_REFUSALS = 10  # a long list of refusals is summed up after these


def flash_sharing(outcome: BriefingSharing) -> None:
    level = str(LEVEL_LABELS.get(outcome.briefing.sharing, outcome.briefing.sharing))
    if outcome.changed:
        flash(_("Sharing saved: %(level)s.", level=level), "success")
    elif not outcome.published:
        flash(_("Sharing unchanged: %(level)s.", level=level), "info")
    if outcome.published:
        flash(_("%(n)d press coverage record(s) made public with the briefing.",
                n=len(outcome.published)), "success")
    for document, reason in outcome.refused[:SHOWN_REFUSALS]:
        flash(_("“%(title)s” stays as it was: %(reason)s", title=document.title,
                reason=reason), "error")
    if len(outcome.refused) > SHOWN_REFUSALS:
        flash(_("%(n)d more press coverage record(s) could not be made public.",
                n=len(outcome.refused) - SHOWN_REFUSALS), "error")


def flash_rule(rule: RuleOutcome) -> None:
    """Coverage added to a public briefing whose publication rule is on."""
    if rule.published:
        flash(_("The briefing is public: this coverage was made public with it."), "success")
    elif rule.refused:
        flash(_("The briefing is public, but this coverage stays internal: %(reason)s",
                reason=rule.refused), "error")
