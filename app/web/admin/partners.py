"""Partner agencies' harvesting tokens for /oai (permission sharing.admin)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services.errors import ValidationFailed
from app.sharing import partners
from app.web.admin.forms import PartnerTokenForm
from app.web.admin.routes import bp


@bp.route("/partners", methods=["GET", "POST"])
def partner_tokens():
    """List, and issue: a new token is shown on this response only, never stored in clear."""
    tokens = partners.list_tokens(current_user)
    form, created = PartnerTokenForm(), None
    if form.validate_on_submit():
        try:
            row, created = partners.issue_token(form.agency.data, current_user)
        except ValidationFailed as exc:
            form.agency.errors = [exc.message]
        else:
            created = (row, created)
            tokens = partners.list_tokens(current_user)
            form = PartnerTokenForm(formdata=None)
    return render_template("admin/partners.html", form=form, tokens=tokens, created=created,
                           oai_url=url_for("oai.endpoint", _external=True))


@bp.post("/partners/<int:token_id>/revoke")
def revoke_partner_token(token_id: int):
    token = partners.revoke_token(token_id, current_user)
    flash(_("The token of %(agency)s is revoked: its harvests are refused from now on.",
            agency=token.agency), "success")
    return redirect(url_for("admin.partner_tokens"))
