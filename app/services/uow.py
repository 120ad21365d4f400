"""A small unit of work: commit, then run what must happen after the commit.

Nothing is enqueued or indexed before the database commit (a worker could
otherwise load a row that does not exist yet). A failure in an after-commit
callback is logged, never raised: the data is safe in the database and the
periodic reconcile picks the work up again.
"""
from __future__ import annotations

import logging
from typing import Callable

from app.extensions import db

log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self) -> None:
        self._after_commit: list[Callable[[], None]] = []
        self._once: set = set()

    def after_commit(self, fn: Callable[[], None]) -> None:
        self._after_commit.append(fn)

    def once(self, key, fn: Callable[[], None]) -> None:
        """``after_commit``, registered once per ``key`` (e.g. one e-mail job per person)."""
        if key not in self._once:
            self._once.add(key)
            self.after_commit(fn)

    def commit(self) -> None:
        db.session.commit()
        callbacks, self._after_commit = self._after_commit, []
        for fn in callbacks:
            try:
                fn()
            except Exception:  # noqa: BLE001 - reconcile recovers, see module doc
                log.warning("after-commit operation failed; reconcile will retry", exc_info=True)
