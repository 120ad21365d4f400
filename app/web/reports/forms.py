"""The report's period form (GET): what the page offers and shows back."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

PERIODS = {
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "year": _l("Year"),
    "range": _l("From – to"),
}

REPORT_KINDS = {
    "full": _l("All sections"),
    "briefings": _l("Press briefings"),
    "documents": _l("Documents archived"),
    "products": _l("State-funded communication products"),
    "retention": _l("Retention actions"),
}


def form_values(args, period) -> dict:
    """The values the form shows: what was asked, or the period's own values."""
    return {
        "period": period.kind, "kind": args.get("kind") if args.get("kind") in REPORT_KINDS
        else "full",
        "year": period.start.year, "month": period.start.month,
        "quarter": (period.start.month - 1) // 3 + 1,
        "from": f"{period.start:%d/%m/%Y}", "to": f"{period.end:%d/%m/%Y}",
        "this_year": date.today().year,
    }
