"""Press briefing pages: list and search, record, detail, materials, coverage, export,
calendar and the ad-hoc response-time report."""
from datetime import date, datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.briefings import HOSTS, KINDS, TOPICS
from app.services import briefings as briefing_service
from app.services import coverage as coverage_service
from app.services import briefing_export as dossier_service
from app.services import search as search_service
from app.services.errors import (AmbiguousReference, FileTooLarge, NotFound, PermissionDenied,
                                 ValidationFailed)
from app.sharing import levels as sharing_levels
from app.web.briefings.forms import BriefingForm, CoverageForm, MaterialForm
from app.web.briefings.sharing import flash_rule, flash_sharing

bp = Blueprint("briefings", __name__, template_folder="templates")


def _int_arg(name: str, low: int, high: int) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else None


def _filters() -> briefing_service.BriefingFilters:
    args = request.args
    return briefing_service.BriefingFilters(
        year=_int_arg("year", 1900, 2100), month=_int_arg("month", 1, 12),
        kind=args.get("kind") if args.get("kind") in KINDS else None,
        topic=args.get("topic") if args.get("topic") in TOPICS else None,
        host=args.get("host") if args.get("host") in HOSTS else None,
        outlet=(args.get("outlet") or "").strip()[:300] or None)


@bp.get("/")
def index():
    q = (request.args.get("q") or "").strip()
    ids, snippets = None, {}
    if q:
        results = search_service.search(current_user, search_service.SearchParams(
            q=q, record_type="briefing", per_page=100))
        ids = [h.id for h in results.hits]
        snippets = {h.id: h.snippet for h in results.hits}
    briefings = briefing_service.list_briefings(current_user, _filters(), ids=ids)
    if ids is not None:
        rank = {briefing_id: n for n, briefing_id in enumerate(ids)}
        briefings.sort(key=lambda b: rank.get(b.id, len(rank)))
    return render_template("briefings/list.html", briefings=briefings, q=q, snippets=snippets,
                           filters=_filters(), outlets=briefing_service.known_outlets(
                               current_user), this_year=date.today().year)


@bp.route("/new", methods=["GET", "POST"])
def create():
    _require_write()
    form = BriefingForm()
    if form.validate_on_submit():
        try:
            briefing = briefing_service.create_briefing(current_user, form.to_data())
        except ValidationFailed as exc:
            _show_errors(form, exc)
        else:
            flash(_("Briefing recorded."), "success")
            return redirect(url_for("briefings.detail", briefing_id=briefing.id))
    return render_template("briefings/form.html", form=form, briefing=None)


@bp.route("/<int:briefing_id>/edit", methods=["GET", "POST"])
def edit(briefing_id: int):
    _require_write()
    view = briefing_service.view_briefing(current_user, briefing_id)
    form = BriefingForm()
    if request.method == "GET":
        form.fill_from(view.briefing)
    if form.validate_on_submit():
        try:
            briefing_service.update_briefing(current_user, briefing_id, form.to_data())
        except ValidationFailed as exc:
            _show_errors(form, exc)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("briefings.detail", briefing_id=briefing_id))
    return render_template("briefings/form.html", form=form, briefing=view.briefing)


@bp.get("/<int:briefing_id>")
def detail(briefing_id: int):
    view = briefing_service.view_briefing(current_user, briefing_id)
    return render_template("briefings/detail.html", view=view, briefing=view.briefing,
                           material_form=MaterialForm(),
                           local=briefing_service.local_time,
                           reports_on=lambda article: coverage_service.related_documents(
                               current_user, article))


@bp.post("/<int:briefing_id>/sharing")
def set_sharing(briefing_id: int):
    """The briefing's sharing form (detail and edit pages)."""
    try:
        outcome = sharing_levels.set_briefing_sharing(
            current_user, briefing_id, request.form.get("sharing", ""),
            publish_coverage=request.form.get("publish_coverage") == "1")
    except ValidationFailed as exc:
        flash(exc.message, "error")
    else:
        flash_sharing(outcome)
    back = request.form.get("back", "")
    if back != url_for("briefings.edit", briefing_id=briefing_id):  # only that page, or here
        back = url_for("briefings.detail", briefing_id=briefing_id)
    return redirect(back)


@bp.post("/<int:briefing_id>/coverage/<int:article_id>/documents")
def link_article(briefing_id: int, article_id: int):
    """Record which archived document a piece of coverage reports on."""
    reference = (request.form.get("reference") or "").strip()
    try:
        document = coverage_service.link_document(current_user, article_id, reference)
    except AmbiguousReference as exc:
        flash(_("%(message)s Enter the id of the right one: %(choices)s", message=exc.message,
                choices="; ".join(f"{d.id} ({d.title})" for d in exc.documents)), "error")
    except (NotFound, ValidationFailed) as exc:
        flash(exc.message, "error")
    else:
        flash(_("Linked: the article reports on %(title)s", title=document.title), "success")
    return redirect(url_for("briefings.detail", briefing_id=briefing_id))


@bp.get("/<int:briefing_id>/materials/find")
def find_material(briefing_id: int):
    """The material picker: documents matching words or a number, to attach one."""
    _require_write()
    view = briefing_service.view_briefing(current_user, briefing_id)
    q = (request.args.get("q") or "").strip()
    hits = []
    if q:
        # People describe the material in a few words of their own: hybrid search finds
        # it better from keywords (bench/search_quality.py, keyword form); a number
        # still goes straight to the document carrying it.
        hits = search_service.search(current_user, search_service.SearchParams(
            q=q, record_type="document", per_page=20, mode="hybrid")).hits
    return render_template("briefings/find_material.html", briefing=view.briefing, q=q,
                           hits=hits, form=MaterialForm())


@bp.post("/<int:briefing_id>/materials")
def add_material(briefing_id: int):
    form = MaterialForm()
    if form.validate_on_submit():
        try:
            document = briefing_service.add_material(current_user, briefing_id,
                                                     form.reference.data, form.role.data)
        except AmbiguousReference as exc:  # ask which one instead of picking
            view = briefing_service.view_briefing(current_user, briefing_id)
            return render_template("briefings/find_material.html", briefing=view.briefing,
                                   q=form.reference.data, hits=exc.documents, form=form,
                                   ambiguous=exc.message)
        except NotFound as exc:
            flash(exc.message, "error")
        except ValidationFailed as exc:
            flash(exc.message, "error")
        else:
            flash(_("Material attached: %(title)s", title=document.title), "success")
    else:
        flash(_("Enter a document number or id."), "error")
    return redirect(url_for("briefings.detail", briefing_id=briefing_id))


@bp.post("/<int:briefing_id>/materials/<int:document_id>/remove")
def remove_material(briefing_id: int, document_id: int):
    # CSRFProtect checks the token of every POST before this runs.
    briefing_service.remove_material(current_user, briefing_id, document_id)
    flash(_("Material removed."), "info")
    return redirect(url_for("briefings.detail", briefing_id=briefing_id))


@bp.route("/<int:briefing_id>/coverage/new", methods=["GET", "POST"])
def add_coverage(briefing_id: int):
    _require_write()
    view = briefing_service.view_briefing(current_user, briefing_id)
    form = CoverageForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            outcome = coverage_service.add_coverage(current_user, upload.stream, upload.filename,
                                                    form.to_data(), briefing_id=briefing_id)
        except FileTooLarge as exc:
            flash(exc.message or _("The file is larger than the upload limit."), "error")
        except ValidationFailed as exc:
            _show_errors(form, exc)
        else:
            if outcome.same_story:
                flash(_("Coverage added. It is a copy of a story already archived "
                        "(%(n)d other copies); it is grouped with them.",
                        n=len(outcome.same_story)), "info")
            else:
                flash(_("Coverage added."), "success")
            flash_rule(outcome.rule)
            return redirect(url_for("briefings.detail", briefing_id=briefing_id))
    return render_template("briefings/coverage_form.html", form=form, briefing=view.briefing)


@bp.get("/<int:briefing_id>/export")
def export(briefing_id: int):
    dossier = dossier_service.export_dossier(current_user, briefing_id)
    return send_file(dossier.file, mimetype="application/zip", as_attachment=True,
                     download_name=dossier.filename)


@bp.get("/calendar")
def calendar():
    year = _int_arg("year", 1900, 2100) or date.today().year
    months = briefing_service.calendar(current_user, year)
    today = briefing_service.local_time(datetime.now(timezone.utc).replace(tzinfo=None))
    return render_template("briefings/calendar.html", year=year, months=months,
                           local=briefing_service.local_time,
                           this_month=(today.year, today.month))


@bp.get("/report/adhoc")
def adhoc_report():
    year = _int_arg("year", 1900, 2100)
    rows = briefing_service.adhoc_report(current_user, year)
    return render_template("briefings/adhoc_report.html", year=year, rows=rows,
                           local=briefing_service.local_time)


def _require_write() -> None:
    if not current_user.can(briefing_service.WRITE):
        raise PermissionDenied(_("You do not have permission to do this."))


def _show_errors(form, exc: ValidationFailed) -> None:
    for name, message in exc.details.get("fields", {}).items():
        if hasattr(form, name):
            getattr(form, name).errors = [message]
    flash(exc.message, "error")


@bp.app_template_filter("duration")
def duration(value) -> str:
    """A timedelta as hours and minutes: ``30 giờ 05 phút``."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    return _("%(h)d h %(m)02d min", h=minutes // 60, m=minutes % 60)
