"""Documents archived in the period, and state-funded communication products.

Counted with SQL aggregates over the documents the reader may see (secrecy up
to their clearance); records erased by an administrator (``deleted``) are not
counted, destroyed and transferred ones were archived and still count.

"Archived in the period" is the upload time (local days). A communication
product belongs to the period of its own date (issue date, else upload date):
that is when the money was spent and the decision signed.
"""
from __future__ import annotations

from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.vocab import CATEGORIES, DOCUMENT_TYPES, PRODUCT_KINDS, levels_up_to
from app.extensions import db
from app.models import Disposition, Document, User
from app.domain import agencies as agency_names
from app.services.agencies import confirmed_table
from app.services.report_model import Chart, Figure, Period, Section, Table
from app.services.reports_briefings import utc_bounds

TOP_AGENCIES = 20
STATE_BUDGET = "state_budget"
# Canonical names of the spellings seen, per version of the archivists' table: finding
# the close match of an unknown spelling costs milliseconds, and a yearly report meets
# hundreds of spellings.
_names: dict = {"table": None, "names": {}}
MAX_REMEMBERED = 50_000


def canonical(raw: str | None) -> str | None:
    table = confirmed_table()
    if _names["table"] is not table or len(_names["names"]) > MAX_REMEMBERED:
        _names.update(table=table, names={})
    names = _names["names"]
    if raw not in names:
        names[raw] = agency_names.canonical(raw, table)
    return names[raw]


def _visible(user: User):
    return (Document.secrecy.in_(levels_up_to(user.clearance)),
            Document.disposition != Disposition.DELETED)


def documents_section(user: User, period: Period) -> Section:
    start, end = utc_bounds(period)
    where = (*_visible(user), Document.uploaded_at >= start, Document.uploaded_at < end)

    # One scan of the period's documents, grouped three ways here: a few thousand
    # combinations at most, where three GROUP BY queries meant three scans.
    combos = db.session.execute(
        select(Document.category, Document.doc_type, Document.issuing_agency, func.count())
        .where(*where).group_by(Document.category, Document.doc_type,
                                Document.issuing_agency)).all()
    by_category = [{"category": str(CATEGORIES.get(k, k)), "key": k, "documents": n}
                   for k, n in _ranked(combos, 0)]
    by_type = [{"doc_type": str(DOCUMENT_TYPES.get(k, k)) if k else _("(type not set)"),
                "key": k, "documents": n} for k, n in _ranked(combos, 1)]
    agencies, named = _agencies(_ranked(combos, 2))
    total = sum(r["documents"] for r in by_category)
    return Section("documents", _("Documents archived"), figures=[
        Figure("archived", _("Documents archived"), total),
        Figure("categories", _("Categories"), len(by_category)),
        Figure("agencies", _("Issuing agencies"), named),
    ], tables=[
        Table("documents_by_category", _("Documents by category"), [
            ("category", _("Category")), ("documents", _("Documents"))], by_category,
            chart=Chart("category", ["documents"]), empty=_("No documents archived.")),
        Table("documents_by_type", _("Documents by type"), [
            ("doc_type", _("Type")), ("documents", _("Documents"))], by_type,
            chart=Chart("doc_type", ["documents"]), empty=_("No documents archived.")),
        Table("documents_by_agency", _("Documents by issuing agency"), [
            ("agency", _("Issuing agency")), ("documents", _("Documents"))], agencies,
            chart=Chart("agency", ["documents"]), empty=_("No documents archived.")),
    ])


def _ranked(combos, position: int) -> list[tuple]:
    """(value, count) of one grouping column, most frequent first."""
    counts: Counter = Counter()
    for combo in combos:
        counts[combo[position]] += combo[-1]
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))


def _agencies(rows) -> tuple[list[dict], int]:
    """Rows per body, the top ones and the rest summed, and how many bodies.

    Spellings of one body (``UBND TỈNH …``, ``Ủy ban nhân dân tỉnh …``) count as one."""
    counts: Counter = Counter()
    for raw, n in rows:
        counts[canonical(raw) or ""] += n
    ordered = sorted(counts.items(), key=lambda kv: (not kv[0], -kv[1], kv[0].casefold()))
    named = [(k, n) for k, n in ordered if k]
    out = [{"agency": k, "key": k, "documents": n} for k, n in named[:TOP_AGENCIES]]
    rest = sum(n for _k, n in named[TOP_AGENCIES:])
    if rest:
        out.append({"agency": _("Other agencies (%(n)d)", n=len(named) - TOP_AGENCIES),
                    "key": "", "documents": rest})
    if counts.get(""):
        out.append({"agency": _("(agency not recorded)"), "key": None, "documents": counts[""]})
    return out, len(named)


def products_section(user: User, period: Period) -> Section:
    start, end = utc_bounds(period)
    day = func.coalesce(Document.issue_date, func.date(Document.uploaded_at))
    where = (*_visible(user), Document.category == "communication_product",
             Document.funding_source == STATE_BUDGET, day >= period.start, day <= period.end)
    items = db.session.execute(
        select(Document.id, Document.title, Document.product_kind, Document.product_cost,
               Document.approving_decision, day)
        .where(*where).order_by(day, Document.id)).all()
    totals: dict = {}
    for item in items:
        count, cost = totals.get(item.product_kind, (0, 0))
        totals[item.product_kind] = (count + 1, cost + (item.product_cost or 0))
    kinds = [{"kind": str(PRODUCT_KINDS.get(k, k)) if k else _("(kind not set)"), "key": k,
              "products": n, "cost": c}
             for k, (n, c) in sorted(totals.items(), key=lambda kv: (-kv[1][1], kv[0] or ""))]
    products = [{"id": i, "title": t, "kind": str(PRODUCT_KINDS.get(k, k)) if k else "",
                 "cost": c, "approving_decision": d or "",
                 "date": f"{when:%d/%m/%Y}" if when else ""}
                for i, t, k, c, d, when in items]
    return Section("products", _("State-funded communication products"), figures=[
        Figure("products", _("Products"), len(products)),
        Figure("total_cost", _("Total cost (VND)"), sum(r["cost"] for r in kinds)),
        Figure("without_decision", _("Products without an approving decision"),
               sum(1 for p in products if not p["approving_decision"])),
    ], tables=[
        Table("products_by_kind", _("Products by kind"), [
            ("kind", _("Kind")), ("products", _("Products")), ("cost", _("Cost (VND)"))],
            kinds, chart=Chart("kind", ["cost"]), empty=_("No state-funded products.")),
        Table("products", _("Products and their approving decisions"), [
            ("date", _("Date")), ("title", _("Product")), ("kind", _("Kind")),
            ("cost", _("Cost (VND)")), ("approving_decision", _("Approving decision"))],
            products, empty=_("No state-funded products.")),
    ])
