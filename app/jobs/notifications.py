"""Notification jobs: e-mail (one job per person, after the commit) and the periodic check.

``send_emails`` takes a user id, reloads what that person has not been sent and
is idempotent (sent rows are marked, and locked while sending). ``check`` is
what ``flask notifications check --every N`` runs: saved searches with new
matches, and e-mail that an outage of Redis kept from being enqueued.
"""
from __future__ import annotations

from dataclasses import dataclass

from rq import Retry

from app.extensions import db
from app.models import ProcessingTask
from app.services import notification_mail, notifications, saved_searches

# A mail server that is briefly away: try again, then leave it to the periodic check.
RETRY = Retry(max=3, interval=[30, 120, 600])


def send_emails(user_id: int) -> str:
    db.session.rollback()  # a fresh view of the database
    sent = notification_mail.send_pending(user_id)
    return f"{sent} notifications e-mailed"


def enqueue_emails(user_id: int) -> None:
    """Send e-mail to ``user_id`` in the background. Raises if Redis is unreachable."""
    from app.jobs.queue import queue

    queue(ProcessingTask.INTERACTIVE).enqueue(send_emails, user_id, retry=RETRY,
                                              job_timeout=120,
                                              description=f"notification e-mail to user {user_id}")


@dataclass
class CheckReport:
    searches: int = 0
    notified: int = 0
    emails: int = 0
    search_unavailable: bool = False


def check() -> CheckReport:
    """Saved searches with new matches are notified; unsent e-mail is enqueued again."""
    found = saved_searches.check_all()
    return CheckReport(searches=found.checked, notified=found.notified,
                       emails=notifications.send_unsent_email(),
                       search_unavailable=found.unavailable)
