"""Harvest sources (administrators): list, create, edit, "harvest now", status."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services.access import require
from app.services.errors import Conflict, ValidationFailed
from app.sharing.harvest import messages, sources
from app.web.harvest.forms import PREFIX_LABELS, SourceForm

bp = Blueprint("harvest", __name__, template_folder="templates")


@bp.app_context_processor
def _helpers():
    return {"harvest_messages": messages}


@bp.get("/")
def index():
    return render_template("harvest/sources.html", rows=sources.list_sources(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(current_user, "sharing.admin")
    return _edit(None, SourceForm())


@bp.route("/<int:source_id>/edit", methods=["GET", "POST"])
def edit(source_id: int):
    source = sources.get_source(current_user, source_id)
    form = SourceForm(obj=source)
    form.set_spec.data = form.set_spec.data or ""
    return _edit(source, form)


def _edit(source, form: SourceForm):
    if form.validate_on_submit():
        values = sources.SourceValues(
            name=form.name.data, base_url=form.base_url.data, set_spec=form.set_spec.data,
            metadata_prefix=form.metadata_prefix.data, token=form.token.data,
            clear_token=form.clear_token.data, schedule_hours=form.schedule_hours.data or 0,
            enabled=form.enabled.data)
        try:
            saved = sources.save_source(current_user, source.id if source else None, values)
        except ValidationFailed as exc:
            flash(exc.message, "error")
            for name, message in exc.details.get("fields", {}).items():
                getattr(form, name).errors = [message]
        else:
            flash(_("Source %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("harvest.status", source_id=saved.id))
    form.token.data = ""  # never sent back to the browser
    return render_template("harvest/form.html", form=form, source=source,
                           prefix_labels=PREFIX_LABELS)


@bp.get("/<int:source_id>")
def status(source_id: int):
    source = sources.get_source(current_user, source_id)
    runs = sources.recent_runs(current_user, source_id)
    live = runs[0] if runs and runs[0].status in sources.ACTIVE else None
    return render_template("harvest/status.html", source=source, runs=runs, live=live,
                           records=sources.source_records(source.id),
                           prefix_labels=PREFIX_LABELS)


@bp.post("/<int:source_id>/run")
def run(source_id: int):
    try:
        started = sources.start_harvest(current_user, source_id)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        if started.status == sources.FAILED:
            flash(messages.sentence((started.errors or [None])[0]), "error")
        else:
            flash(_("The harvest has started; this page follows it."), "success")
    return redirect(url_for("harvest.status", source_id=source_id))
