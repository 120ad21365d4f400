"""Briefing dossier export: one ZIP with every material and coverage file and an index page.

Only what the exporting person may see goes in: a material above their
clearance is neither in the ZIP nor named or counted on the index page.
The ZIP is built in a process-local temporary file (in memory up to 32 MB) from
the stored objects, streamed to the person and not kept.
The index lists every file by its path inside the ZIP, size and SHA-256, so
the recipient can check the package against it.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from flask import render_template

from app.models import Document, User
from app import storage
from app.services import audit
from app.services.briefings import BriefingView, local_time, view_briefing
from app.extensions import db

INDEX_NAME = "index.html"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class DossierEntry:
    path: str  # inside the ZIP
    document: Document
    size: int
    sha256: str
    role: str | None = None  # materials
    article: object | None = None  # coverage: the PressArticle
    story: int | None = None  # coverage: 1-based story number on the index


@dataclass
class Dossier:
    filename: str
    file: IO[bytes]  # the ZIP, positioned at 0
    entries: list[DossierEntry]


def export_dossier(user: User, briefing_id: int) -> Dossier:
    """Build the dossier of a briefing as ``user`` may see it; the export is audited."""
    view = view_briefing(user, briefing_id)
    entries = _entries(view)
    index_html = render_template("briefings/dossier_index.html", view=view, entries=entries,
                                 held_local=local_time(view.briefing.held_at))
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX_NAME, index_html)
        for entry in entries:
            copy_into_zip(archive, entry.sha256, entry.path)
    spool.seek(0)
    # One entry for the briefing, one per exported document: the trail hides
    # entries about documents above a reader's clearance, so neither their ids
    # nor their number show up in the briefing's entry.
    audit.record(user, "export", "briefing", briefing_id)
    for entry in entries:
        audit.record(user, "export", "document", entry.document.id, briefing=briefing_id,
                     sha256=entry.sha256, secrecy=entry.document.secrecy)
    db.session.commit()
    held = local_time(view.briefing.held_at)
    return Dossier(f"ho-so-hop-bao-{view.briefing.id}-{held:%Y%m%d}.zip", spool, entries)


def _entries(view: BriefingView) -> list[DossierEntry]:
    entries = []
    for n, material in enumerate(view.materials, 1):
        file = material.document.main_file
        if file is None or not storage.exists(file.sha256):
            continue
        entries.append(DossierEntry(f"tai-lieu/{n:02d}-{safe_name(file.original_filename)}",
                                    material.document, file.size, file.sha256,
                                    role=material.role))
    n = 0
    for story_no, story in enumerate(view.stories, 1):
        for article in story:
            file = article.document.main_file
            if file is None or not storage.exists(file.sha256):
                continue
            n += 1
            entries.append(DossierEntry(f"bao-chi/{n:02d}-{safe_name(file.original_filename)}",
                                        article.document, file.size, file.sha256,
                                        article=article, story=story_no))
    return entries


def copy_into_zip(archive: zipfile.ZipFile, sha256: str, path: str) -> None:
    """Stream a stored object into the ZIP in chunks (never whole in memory)."""
    with storage.open(sha256) as source, archive.open(path, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, storage.CHUNK)


def safe_name(filename: str) -> str:
    """An ASCII file name that every unzip tool handles (diacritics folded)."""
    stem = PurePath(filename).stem.replace("đ", "d").replace("Đ", "D")
    suffix = PurePath(filename).suffix.lower()
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("-", stem).strip("-.")[:80] or "tep"
    return f"{stem}{_UNSAFE.sub('', suffix)[:10]}"
