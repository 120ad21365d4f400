"""The scheduled fixity job: re-hash one slice of the stored objects.

Started every ``FIXITY_INTERVAL_SECONDS`` by ``flask storage fixity --every N``
(supervised by scripts/run.sh) or by the systemd timer in deploy/. Idempotent:
a slice only moves the "least recently checked" cursor forward; a run that the
store's outage cut short leaves the rest for the next one.
"""
from __future__ import annotations

import logging

from app.services import fixity

log = logging.getLogger(__name__)


def run_fixity_slice() -> fixity.FixityReport:
    report = fixity.run_slice()
    if report.missing or report.altered:
        log.warning("fixity: %d missing, %d altered", len(report.missing), len(report.altered))
    return report
