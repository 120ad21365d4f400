"""Bulk import of files from disk through the same use case as the upload form."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from app.extensions import db
from app.models import ProcessingTask, User
from app.services.documents import archive_document
from app.services.errors import ServiceError, ValidationFailed
from app.services.metadata import DocumentMetadata
from config.settings import CORPUS_DIR, PROJECT_ROOT

SHARED_CORPUS = CORPUS_DIR
SAMPLES = PROJECT_ROOT / "tests" / "samples"


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def import_files(paths: list[Path], username: str, category: str = "other",
                 progress: Callable[[int], None] | None = None) -> ImportReport:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValidationFailed(f"No user named {username!r}.")
    report = ImportReport()
    for path in paths:
        try:
            with path.open("rb") as stream:
                # The long lane: a bulk import never delays people's uploads.
                outcome = archive_document(user, stream, path.name,
                                           DocumentMetadata(category=category),
                                           lane=ProcessingTask.LONG)
        except (ServiceError, OSError) as exc:
            db.session.rollback()
            report.failed.append((str(path), getattr(exc, "message", "") or str(exc)))
        else:
            target = report.duplicates if outcome.duplicate else report.imported
            target.append((str(path), outcome.document.id))
        if progress:
            progress(1)
    return report


def demo_files() -> list[Path]:
    """The five press-briefing texts and a few real documents, when ../shared is present."""
    picks = sorted((SHARED_CORPUS / "seeds").glob("*.txt"))
    for sub, pattern in (("docx", "nghi_dinh_19*.docx"), ("pdf-text", "05.signed*.pdf"),
                         ("pdf-text", "vht534*.pdf"), ("html", "vbpl_v1.html"),
                         ("pdf-scanned", "51 Q*.pdf")):
        picks += sorted((SHARED_CORPUS / sub).glob(pattern))
    if not picks:
        picks = sorted(p for p in SAMPLES.glob("*") if p.suffix in {".txt", ".docx", ".html"})
    return picks
