"""``flask backup prune DEST``: remove old backups, then the objects none of the rest needs.

Which backups stay (as ``borg prune`` and ``restic forget`` decide): for each
of the last ``--keep-daily`` days, ``--keep-weekly`` ISO weeks and
``--keep-monthly`` months that have a complete backup, the newest complete
backup of that day, week or month, counted in the archive's time zone. The
newest backup of all always stays, complete or not: its tombstones are the
latest word on what was destroyed, transferred or released, and a restore of
any older backup reads them. An incomplete backup fills no slot otherwise.

Then every object under ``DEST/objects`` that no remaining manifest lists
(under the key it was encrypted with) is deleted. Nothing else is touched:
what a remaining backup needs is exactly what its manifest lists, so
``flask backup verify`` of every remaining backup passes afterwards. The
backup lock is held throughout, so no backup being written can count on an
object prune is deleting. A backup is first renamed ``.<name>.pruning``
(no longer a backup), then deleted; a prune cut short is finished by the
next one.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from flask import current_app

from app.backup import manifest

RULES = ("daily", "weekly", "monthly")


@dataclass
class PruneReport:
    kept: dict[str, list[str]] = field(default_factory=dict)  # name -> the rules keeping it
    removed: list[str] = field(default_factory=list)
    objects_removed: int = 0
    bytes_removed: int = 0
    objects_kept: int = 0
    dry_run: bool = False


def taken_at(name: str, zone: ZoneInfo) -> datetime:
    """A backup's name is the UTC time it started: that time in the archive's zone."""
    return datetime.strptime(name[:16], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=timezone.utc).astimezone(zone)


def _period(rule: str, when: datetime) -> tuple:
    if rule == "daily":
        return when.date().timetuple()[:3]
    if rule == "weekly":
        return tuple(when.date().isocalendar())[:2]
    return when.year, when.month


def choose(backups: dict[str, bool], keep: dict[str, int], zone: ZoneInfo) -> dict[str, list[str]]:
    """``{name: complete}`` -> the names kept, with the rules keeping each."""
    kept: dict[str, list[str]] = {}
    newest_first = sorted(backups, reverse=True)
    if newest_first:
        kept[newest_first[0]] = ["newest"]
    for rule in RULES:
        seen: set[tuple] = set()
        for name in newest_first:
            if len(seen) >= keep.get(rule, 0):
                break
            if not backups[name]:
                continue
            period = _period(rule, taken_at(name, zone))
            if period not in seen:
                seen.add(period)
                kept.setdefault(name, []).append(rule)
    return kept


def prune(dest: Path, keep: dict[str, int], dry_run: bool = False,
          progress: Callable[[str, int], Callable[[int], None]] | None = None) -> PruneReport:
    """Remove the backups ``keep`` does not keep, then the objects left unreferenced."""
    if not any(keep.get(rule, 0) > 0 for rule in RULES):
        raise ValueError("keep at least one daily, weekly or monthly backup")
    location = manifest.Location(Path(dest))
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    report = PruneReport(dry_run=dry_run)
    with manifest.exclusive(location):
        if not dry_run:
            for leftover in location.backups.glob(".*.pruning"):
                shutil.rmtree(leftover, ignore_errors=True)
        bodies = {name: manifest.read_manifest(location.backups / name)
                  for name in location.names()}
        report.kept = choose({n: bool(b.get("complete")) for n, b in bodies.items()}, keep, zone)
        report.removed = [name for name in bodies if name not in report.kept]
        if not dry_run:
            for name in report.removed:
                doomed = location.backups / f".{name}.pruning"
                (location.backups / name).rename(doomed)
                shutil.rmtree(doomed)
            manifest.fsync_dir(location.backups)
        needed = {location.object_path(sha, manifest.key_id(bodies[name]))
                  for name in report.kept for sha in bodies[name]["objects"]}
        _remove_objects(location, needed, report, dry_run, progress)
    return report


def _remove_objects(location: manifest.Location, needed: set[Path], report: PruneReport,
                    dry_run: bool, progress) -> None:
    copies = [path for path in location.objects.glob("*/*/*")
              if path.parts[-3] != "tmp" and path.is_file()]
    update = progress("Objects", len(copies)) if progress else None
    for path in copies:
        if path in needed:
            report.objects_kept += 1
        else:
            report.objects_removed += 1
            report.bytes_removed += path.stat().st_size
            if not dry_run:
                path.unlink()
                for folder in (path.parent, path.parent.parent):
                    try:
                        folder.rmdir()  # only when empty
                    except OSError:
                        break
        if update:
            update(1)
