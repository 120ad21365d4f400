"""/admin/storage: the file store and what fixity found (administrators).

Routes on the admin blueprint (imported before the blueprint is registered).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.models.fixity import FixityRecord
from app.services import storage_admin
from app.services.errors import ValidationFailed
from app.web.admin.routes import bp

STATUS_LABELS = {
    FixityRecord.OK: _l("File intact"),
    FixityRecord.PENDING: _l("Not checked yet"),
    FixityRecord.MISSING: _l("File missing"),
    FixityRecord.ALTERED: _l("File altered"),
}


@bp.get("/storage")
def storage():
    view = storage_admin.overview(current_user)
    return render_template("admin/storage.html", view=view, labels=STATUS_LABELS)


@bp.post("/storage/<sha256>/check")
def check(sha256: str):
    record = storage_admin.recheck(current_user, sha256)
    flash(_("Checked again: %(status)s.", status=STATUS_LABELS[record.status]),
          "success" if record.status == FixityRecord.OK else "error")
    return redirect(url_for("admin.storage"))


@bp.post("/storage/<sha256>/repair")
def repair(sha256: str):
    try:
        report = storage_admin.repair_one(current_user, sha256)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.storage"))
    if report.repaired:
        flash(_("The file was restored from the backup and checked."), "success")
    elif report.wrong_in_source:
        flash(_("The backup's copy of this file is not right either; nothing was changed."),
              "error")
    else:
        flash(_("The backup does not hold this file; nothing was changed."), "error")
    return redirect(url_for("admin.storage"))
