"""Records-management pages: file plan, due list, proposals, holds, dossiers."""
from __future__ import annotations

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from app.services import disposition, dossiers, holds, retention
from app.services.access import require
from app.services.dossiers import DossierValues
from app.services.errors import NotFound, ServiceError
from app.services.retention import ScheduleValues
from app.services.search import SAVED_SEARCH_KEYS
from app.web.audit.present import search_terms
from app.web.downloads import send_stored
from app.web.retention.forms import (AddDocumentForm, DecisionForm, DossierForm, OverrideForm,
                                     ProposeForm, ReasonForm, RuleForm, ScheduleForm)

bp = Blueprint("retention", __name__, template_folder="templates")


def _post(form, back: str, success: str, action, then=None):
    """A form post: validate, call one service, flash the outcome, redirect.

    Service errors (except NotFound, which stays a 404) become a flash message
    and the person goes back to ``back``; on success to ``then(result)`` or ``back``.
    """
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return redirect(back, 303)
    return _call(back, success, action, then)


def _call(back: str, success: str, action, then=None):
    """Call one service; see ``_post``."""
    try:
        result = action()
    except NotFound:
        raise
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(back, 303)
    flash(success, "success")
    return redirect(then(result) if then else back, 303)


@bp.get("/")
def index():
    due = retention.due_for_review(current_user)
    waiting = request.args.get("proposals") == "waiting"  # the dashboard's "waiting for me"
    return render_template(
        "retention/index.html", due=[(d, retention.info(d)) for d in due],
        proposals=disposition.list_proposals(current_user, waiting_for_me=waiting)[:50],
        waiting=waiting, holds=holds.list_holds(current_user), form=ProposeForm())


@bp.post("/propose")
def propose():
    form = ProposeForm()
    ids = [int(i) for i in request.form.getlist("document_id") if i.isdigit()]
    return _post(form, url_for("retention.index"), _("Proposal sent to an approver."),
                 lambda: disposition.propose(current_user, form.action.data, ids,
                                             form.reason.data),
                 then=lambda made: url_for("retention.proposal", proposal_id=made.id))


@bp.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    item = disposition.get_proposal(current_user, proposal_id)
    return render_template("retention/proposal.html", proposal=item, form=DecisionForm())


@bp.post("/proposals/<int:proposal_id>/decide")
def decide(proposal_id: int):
    """Reject at once; approve only after a second page that names every record.

    The confirmation carries the ids it listed: if they are not exactly the
    proposal's records, the person is asked again instead of anything happening.
    """
    form = DecisionForm()
    approve = request.form.get("decision") == "approve"
    if approve and form.validate_on_submit():
        item = disposition.get_proposal(current_user, proposal_id)
        may_decide = (current_user.can("disposition.approve") and item.status == item.PROPOSED
                      and item.proposed_by_id != current_user.id)
        if may_decide and request.form.get("confirm") != _confirmation(item):
            return render_template("retention/confirm.html", proposal=item, form=form,
                                   confirmation=_confirmation(item))
    return _post(form, url_for("retention.proposal", proposal_id=proposal_id),
                 _("Approved and carried out.") if approve else _("Proposal rejected."),
                 lambda: disposition.decide(current_user, proposal_id, approve,
                                            form.decision_ref.data or "", form.note.data or ""))


def _confirmation(proposal) -> str:
    return ",".join(str(i) for i in sorted(item.document_id for item in proposal.items))


@bp.get("/proposals/<int:proposal_id>/record")
def destruction_record(proposal_id: int):
    """The printable destruction record (biên bản hủy), as a download."""
    item = disposition.get_proposal(current_user, proposal_id)
    if item.action != "destroy" or item.status != item.EXECUTED:
        raise NotFound(_("There is no destruction record for this proposal."))
    body = render_template("retention/record.html", proposal=item,
                           organization=current_app.config["ARCHIVE_ORGANIZATION"])
    return Response(body, mimetype="text/html", headers={
        "Content-Disposition": f"attachment; filename=bien-ban-huy-{item.id:05d}.html"})


@bp.get("/proposals/<int:proposal_id>/package")
def transfer_package(proposal_id: int):
    sha, legacy, name = disposition.open_package(current_user, proposal_id)
    if legacy is not None:
        return send_file(legacy, mimetype="application/zip", as_attachment=True,
                         download_name=name)
    return send_stored(sha, media_type="application/zip", download_name=name)


@bp.get("/schedules")
def schedules():
    items = retention.list_schedules(current_user)
    return render_template("retention/schedules.html", schedules=items,
                           rules=retention.list_rules(), rule_form=RuleForm(schedules=items))


@bp.route("/schedules/new", methods=["GET", "POST"], defaults={"schedule_id": None})
@bp.route("/schedules/<int:schedule_id>", methods=["GET", "POST"])
def edit_schedule(schedule_id: int | None):
    require(current_user, "retention.manage")
    existing = retention.get_schedule(schedule_id) if schedule_id else None
    form = ScheduleForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.permanent.data = existing.permanent
    if form.validate_on_submit():
        values = ScheduleValues(
            code=form.code.data.strip(), title=form.title.data.strip(),
            retention_years=None if form.permanent.data else form.retention_years.data,
            trigger=form.trigger.data, action=form.action.data,
            legal_basis=(form.legal_basis.data or "").strip())
        return _call(request.path, _("Series saved."),
                     lambda: retention.save_schedule(current_user, schedule_id, values),
                     then=lambda saved: url_for("retention.schedules"))
    return render_template("retention/schedule_form.html", form=form, schedule=existing)


@bp.post("/rules")
def add_rule():
    form = RuleForm(schedules=retention.list_schedules(current_user))
    return _post(form, url_for("retention.schedules"), _("Rule added."),
                 lambda: retention.save_rule(current_user, form.category.data, form.doc_type.data,
                                             form.funding_source.data, int(form.schedule_id.data)))


@bp.post("/rules/<int:rule_id>/delete")
def delete_rule(rule_id: int):
    return _call(url_for("retention.schedules"), _("Rule deleted."),
                 lambda: retention.delete_rule(current_user, rule_id))


@bp.get("/holds")
def hold_list():
    mine = request.args.get("mine") == "1"  # the dashboard's "holds I placed" (active ones)
    return render_template("retention/holds.html", form=ReasonForm(), mine=mine,
                           holds=holds.list_holds(current_user, include_released=not mine,
                                                  placed_by=current_user if mine else None),
                           search_terms=search_terms)


@bp.post("/holds")
def place_hold():
    """From a document page, a dossier page or the search page (its current filters)."""
    form = ReasonForm()
    back = request.form.get("back") or url_for("retention.hold_list")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("retention.hold_list")
    target = request.form.get("target")
    kwargs = {}
    if target == "document":
        kwargs["document_id"] = request.form.get("document_id", type=int)
    elif target == "dossier":
        kwargs["dossier_id"] = request.form.get("dossier_id", type=int)
    else:
        kwargs["query"] = {k: request.form.get(k) for k in SAVED_SEARCH_KEYS
                           if request.form.get(k)}
    return _post(form, back, _("Legal hold placed."),
                 lambda: holds.place_hold(current_user, form.reason.data, **kwargs))


@bp.post("/holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    form = ReasonForm()
    return _post(form, url_for("retention.hold_list"), _("Legal hold released."),
                 lambda: holds.release_hold(current_user, hold_id, form.reason.data))


@bp.post("/documents/<int:document_id>/schedule")
def override_schedule(document_id: int):
    form = OverrideForm(schedules=retention.list_schedules(current_user))
    schedule_id = int(form.schedule_id.data) if form.schedule_id.data else None
    return _post(form, url_for("documents.detail", document_id=document_id),
                 _("Retention schedule changed."),
                 lambda: retention.override_schedule(current_user, document_id, schedule_id,
                                                     form.reason.data or ""))


@bp.post("/documents/<int:document_id>/delete")
def delete_document(document_id: int):
    form = ReasonForm()
    return _post(form, url_for("documents.detail", document_id=document_id),
                 _("The record was deleted; its metadata is kept as a tombstone."),
                 lambda: disposition.delete_document(current_user, document_id, form.reason.data))


@bp.get("/dossiers")
def dossier_list():
    return render_template("retention/dossiers.html", dossiers=dossiers.list_dossiers(current_user))


@bp.route("/dossiers/new", methods=["GET", "POST"], defaults={"dossier_id": None})
@bp.route("/dossiers/<int:dossier_id>/edit", methods=["GET", "POST"])
def edit_dossier(dossier_id: int | None):
    require(current_user, "retention.manage")
    existing = dossiers.get_dossier(current_user, dossier_id)[0] if dossier_id else None
    form = DossierForm(obj=existing, schedules=retention.list_schedules(current_user))
    if request.method == "GET" and existing is not None:
        form.schedule_id.data = str(existing.schedule_id or "")
    if form.validate_on_submit():
        values = DossierValues(
            code=form.code.data, title=form.title.data, year=form.year.data,
            start_date=form.start_date.data, end_date=form.end_date.data,
            schedule_id=int(form.schedule_id.data) if form.schedule_id.data else None,
            notes=form.notes.data or None)
        return _call(request.path, _("Dossier saved."),
                     lambda: dossiers.save_dossier(current_user, dossier_id, values),
                     then=lambda saved: url_for("retention.dossier", dossier_id=saved.id))
    return render_template("retention/dossier_form.html", form=form, dossier=existing)


@bp.get("/dossiers/<int:dossier_id>")
def dossier(dossier_id: int):
    item, documents = dossiers.get_dossier(current_user, dossier_id)
    return render_template("retention/dossier.html", dossier=item, documents=documents,
                           add_form=AddDocumentForm(), hold_form=ReasonForm())


@bp.post("/dossiers/<int:dossier_id>/documents")
def add_to_dossier(dossier_id: int):
    form = AddDocumentForm()
    return _post(form, url_for("retention.dossier", dossier_id=dossier_id),
                 _("Document filed in the dossier."),
                 lambda: dossiers.add_document(current_user, dossier_id, form.document_id.data))


@bp.post("/dossiers/<int:dossier_id>/documents/<int:document_id>/remove")
def remove_from_dossier(dossier_id: int, document_id: int):
    return _call(url_for("retention.dossier", dossier_id=dossier_id),
                 _("Document removed from the dossier."),
                 lambda: dossiers.remove_document(current_user, dossier_id, document_id))
