"""E-mail of notifications, sent by a background job (never in a request).

One message per person per run lists what they have not been sent yet. A mail
leaves the archive, so it names only documents of secrecy "Thường"; any other
is "a document (title in the archive)", and a document above the reader's
clearance of now is not named at all (app.services.notification_text). The
link leads to the notifications page. ``SMTP_URL``: ``smtp://host:port`` (plain,
as a local relay or a test server), ``smtp://user:password@host:587?starttls=1``
or ``smtps://host:465``.
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.i18n import format_datetime
from app.models import Notification, NotificationSettings, User
from app.models.user import utcnow
from app.services.notification_text import describe

MAX_LINES = 50


def send_pending(user_id: int) -> int:
    """E-mail ``user_id`` what they have not been sent; how many notifications went.

    The rows are locked (SKIP LOCKED), so two jobs for one person never send the same
    notification twice; if the server refuses, nothing is marked and RQ retries.
    """
    url = current_app.config.get("SMTP_URL")
    user = db.session.get(User, user_id)
    settings = db.session.get(NotificationSettings, user_id)
    if not url or user is None or not user.active or settings is None \
            or not settings.email_enabled or not settings.email:
        return 0
    query = (select(Notification).where(
        Notification.user_id == user_id, Notification.emailed_at.is_(None),
        Notification.created_at >= settings.email_since)
        .order_by(Notification.id).limit(MAX_LINES).with_for_update(skip_locked=True))
    notes = list(db.session.scalars(query))
    if not notes:
        db.session.rollback()
        return 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = compose(user, settings.email, notes)
    deliver(url, message)
    now = utcnow()
    for note in notes:
        note.emailed_at = now
    db.session.commit()
    return len(notes)


def compose(user: User, address: str, notes: list[Notification]) -> EmailMessage:
    lines = []
    for view in describe(user, notes):
        text = view.message
        if view.secret:  # the title stays in the archive
            text = _("A document (its title is shown in the archive): %(what)s",
                     what=_what_happened().get(view.kind, ""))
        lines.append(f"- {format_datetime(view.created_at)}  {text}")
    base = (current_app.config.get("ARCHIVE_BASE_URL") or "").rstrip("/")
    message = EmailMessage()
    message["Subject"] = _("Communications records archive: %(n)d new notifications",
                           n=len(notes))
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = address
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="archive.local")
    footer = [_("Read them in the archive: %(url)s", url=f"{base}/notifications/")] if base \
        else [_("Read them on the archive's notifications page.")]
    footer.append(_("You receive this because e-mail notifications are switched on for "
                    "your account; switch them off on the notifications page."))
    message.set_content("\n".join(
        [_("Hello %(name)s,", name=user.full_name or user.username), ""] + lines + [""]
        + footer) + "\n")
    return message


def _what_happened() -> dict[str, str]:
    """Per kind, the event without the document's title (built in the mail's language)."""
    return {
        "processing_done": _("processing finished."),
        "processing_failed": _("processing failed."),
        "hold_placed": _("a legal hold was placed on it."),
    }


def deliver(url: str, message: EmailMessage, timeout: float = 20.0) -> None:
    """Hand ``message`` to the SMTP server of ``url``; raises on any refusal."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    host, port = parts.hostname or "localhost", parts.port
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port or 25, timeout=timeout)
    with client:
        if parts.scheme == "smtp" and parse_qs(parts.query).get("starttls") == ["1"]:
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
