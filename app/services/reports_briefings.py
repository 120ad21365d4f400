"""The press-briefing section of the periodic report.

Briefings carry no secrecy of their own (every reader sees the list), but
their materials and coverage are archived documents: whatever is above the
reader's clearance is not counted, exactly as the briefing page leaves it out.

A province holds a few dozen briefings a year, so the briefing rows of the
period are read once and grouped by local month here (the month follows the
archive's time zone, as on the calendar page); coverage and materials, which
grow with the archive, are counted with SQL aggregates.
"""
from __future__ import annotations

from collections import Counter, OrderedDict
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.briefings import MATERIAL_ROLES
from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import (
    Briefing, BriefingCoverage, BriefingMaterial, Disposition, Document, PressArticle, User,
)
from app.models.briefing import ADHOC_DEADLINE
from app.services.briefings import from_local, local_time
from app.services.report_model import Chart, Figure, Period, Section, Table


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's local days as a naive-UTC [start, end) range."""
    return (from_local(datetime.combine(period.start, time())),
            from_local(datetime.combine(period.end + timedelta(days=1), time())))


def briefings_section(user: User, period: Period) -> Section:
    start, end = utc_bounds(period)
    rows = db.session.execute(
        select(Briefing.id, Briefing.kind, Briefing.title, Briefing.held_at,
               Briefing.incident_at, Briefing.outlets)
        .where(Briefing.held_at >= start, Briefing.held_at < end)
        .order_by(Briefing.held_at, Briefing.id)).all()
    allowed = levels_up_to(user.clearance)
    months = _per_month(period, rows)
    adhoc = _adhoc(rows)
    late = [r for r in adhoc.rows if r["late"]]
    attending = _attending(rows)
    by_outlet, stories = _coverage(start, end, allowed)
    by_role, materials = _materials(start, end, allowed)
    periodic = sum(r["periodic"] for r in months.rows)
    section = Section("briefings", _("Press briefings"), figures=[
        Figure("held", _("Briefings held"), len(rows)),
        Figure("periodic", _("Periodic briefings"), periodic),
        Figure("adhoc", _("Ad-hoc briefings"), len(adhoc.rows)),
        Figure("adhoc_late", _("Ad-hoc briefings later than 24 hours"), len(late)),
        Figure("months_without_periodic", _("Months without a periodic briefing"),
               sum(1 for r in months.rows if not r["periodic"])),
        Figure("outlets_attending", _("Outlets attending"), len(attending.rows)),
        Figure("coverage_articles", _("Articles of coverage"),
               sum(r["articles"] for r in by_outlet.rows)),
        Figure("coverage_stories", _("Stories covered"), len(stories.rows)),
        Figure("materials", _("Materials used"), len(materials.rows)),
    ], tables=[months, adhoc, attending, by_outlet, stories, by_role, materials])
    if late:
        section.notes.append(_("Held later than 24 hours after the incident: %(names)s.",
                               names="; ".join(r["title"] for r in late)))
    return section


def _per_month(period: Period, rows) -> Table:
    counts = Counter((local_time(r.held_at).year, local_time(r.held_at).month, r.kind)
                     for r in rows)
    out = []
    for year, month in period.months():
        p, a = counts[(year, month, Briefing.PERIODIC)], counts[(year, month, Briefing.ADHOC)]
        out.append({"month": f"{month:02d}/{year}", "periodic": p, "adhoc": a, "total": p + a})
    return Table("briefings_per_month", _("Briefings held per month"), [
        ("month", _("Month")), ("periodic", _("Periodic")), ("adhoc", _("Ad-hoc")),
        ("total", _("Total"))], out, chart=Chart("month", ["periodic", "adhoc"]))


def _adhoc(rows) -> Table:
    out = []
    for r in rows:
        if r.kind != Briefing.ADHOC:
            continue
        response = (r.held_at - r.incident_at) if r.incident_at else None
        late = response is not None and response > ADHOC_DEADLINE
        out.append({
            "id": r.id, "title": r.title,
            "incident_at": f"{local_time(r.incident_at):%d/%m/%Y %H:%M}" if r.incident_at else "",
            "held_at": f"{local_time(r.held_at):%d/%m/%Y %H:%M}",
            "response_hours": round(response.total_seconds() / 3600, 1) if response else None,
            "late": late,
            "status": _("over 24 h") if late else _("within 24 h") if response else "",
        })
    return Table("adhoc_response", _("Ad-hoc briefings: response times (24-hour rule)"), [
        ("title", _("Briefing")), ("incident_at", _("Incident")), ("held_at", _("Briefing held")),
        ("response_hours", _("Hours after the incident")), ("status", _("24-hour rule"))],
        out, empty=_("No ad-hoc briefings."))


def _attending(rows) -> Table:
    # One outlet typed with different capitals is still one outlet.
    names: dict[str, str] = {}
    counts: Counter = Counter()
    for r in rows:
        for outlet in {o.casefold(): o for o in (r.outlets or []) if o}.items():
            names.setdefault(outlet[0], outlet[1])
            counts[outlet[0]] += 1
    out = [{"outlet": names[k], "briefings": n}
           for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]].casefold()))]
    return Table("outlets_attending", _("Outlets attending"), [
        ("outlet", _("Outlet")), ("briefings", _("Briefings attended"))], out,
        chart=Chart("outlet", ["briefings"]), empty=_("No outlet recorded."))


def _visible_documents(allowed):
    return (Document.secrecy.in_(allowed), Document.disposition != Disposition.DELETED)


def _coverage(start, end, allowed) -> tuple[Table, Table]:
    in_period = (Briefing.held_at >= start, Briefing.held_at < end)
    base = (select(PressArticle.id).join(BriefingCoverage, BriefingCoverage.article_id ==
                                         PressArticle.id)
            .join(Briefing, Briefing.id == BriefingCoverage.briefing_id)
            .join(Document, Document.id == PressArticle.document_id)
            .where(*in_period, *_visible_documents(allowed)).distinct().subquery())
    outlet = func.coalesce(PressArticle.outlet, "")
    story = func.coalesce(PressArticle.story_id, PressArticle.id)
    per_outlet = db.session.execute(
        select(outlet, func.count(PressArticle.id), func.count(func.distinct(story)))
        .where(PressArticle.id.in_(select(base.c.id)))
        .group_by(outlet).order_by(func.count(PressArticle.id).desc(), outlet)).all()
    by_outlet = Table("coverage_by_outlet", _("Coverage per outlet"), [
        ("outlet", _("Outlet")), ("articles", _("Articles")), ("stories", _("Stories"))],
        [{"outlet": o or _("(outlet not recorded)"), "articles": n, "stories": s}
         for o, n, s in per_outlet], chart=Chart("outlet", ["articles"]),
        empty=_("No coverage recorded."))
    articles = db.session.execute(
        select(story, PressArticle.id, PressArticle.outlet, PressArticle.published_on,
               Document.title)
        .join(Document, Document.id == PressArticle.document_id)
        .where(PressArticle.id.in_(select(base.c.id)))
        .order_by(PressArticle.published_on.asc().nulls_last(), PressArticle.id)).all()
    grouped: OrderedDict = OrderedDict()
    for story_id, _article_id, outlet_name, published, title in articles:
        entry = grouped.setdefault(story_id, {"story": title, "articles": 0, "outlets": [],
                                              "first_published": published})
        entry["articles"] += 1
        if outlet_name and outlet_name not in entry["outlets"]:
            entry["outlets"].append(outlet_name)
    stories = [{**e, "outlets": ", ".join(e["outlets"]), "first_published":
                f"{e['first_published']:%d/%m/%Y}" if e["first_published"] else ""}
               for e in grouped.values()]
    stories.sort(key=lambda e: -e["articles"])
    return by_outlet, Table("coverage_by_story", _("Coverage per story"), [
        ("story", _("Story (first copy)")), ("articles", _("Articles")),
        ("outlets", _("Outlets")), ("first_published", _("First published"))], stories,
        chart=Chart("story", ["articles"]), empty=_("No coverage recorded."))


def _materials(start, end, allowed) -> tuple[Table, Table]:
    joined = (select(BriefingMaterial.role, BriefingMaterial.document_id)
              .join(Briefing, Briefing.id == BriefingMaterial.briefing_id)
              .join(Document, Document.id == BriefingMaterial.document_id)
              .where(Briefing.held_at >= start, Briefing.held_at < end,
                     *_visible_documents(allowed)))
    per_role = db.session.execute(
        select(BriefingMaterial.role, func.count(), func.count(func.distinct(
            BriefingMaterial.document_id)))
        .join(Briefing, Briefing.id == BriefingMaterial.briefing_id)
        .join(Document, Document.id == BriefingMaterial.document_id)
        .where(Briefing.held_at >= start, Briefing.held_at < end, *_visible_documents(allowed))
        .group_by(BriefingMaterial.role).order_by(func.count().desc())).all()
    by_role = Table("materials_by_role", _("Materials used, by role"), [
        ("role", _("Role")), ("uses", _("Uses")), ("documents", _("Documents"))],
        [{"role": str(MATERIAL_ROLES.get(role, role)), "uses": n, "documents": d}
         for role, n, d in per_role], chart=Chart("role", ["uses"]),
        empty=_("No materials attached."))
    sub = joined.subquery()
    docs = db.session.execute(
        select(Document.id, Document.number, Document.symbol, Document.title,
               func.count(sub.c.document_id))
        .join(sub, sub.c.document_id == Document.id)
        .group_by(Document.id).order_by(func.count(sub.c.document_id).desc(), Document.id)).all()
    materials = [{"id": i, "number_symbol": f"{n}/{s}" if n and s else (s or n or ""),
                  "title": t, "briefings": c} for i, n, s, t, c in docs]
    return by_role, Table("materials", _("Materials used"), [
        ("number_symbol", _("Number and symbol")), ("title", _("Title")),
        ("briefings", _("Briefings"))], materials, empty=_("No materials attached."))
