"""Transfer packages for the historical archive, in the BagIt layout (RFC 8493).

Each record becomes ``data/<id>/`` holding its original file(s) and a
``metadata.json``; ``bagit`` writes the SHA-256 manifests and validates the
bag (every payload file against its manifest) before anything is marked
transferred. The bag is assembled in a process-local working folder
(``TRANSFER_DIR``, default: the system's temporary folder) and removed once its
ZIP is in the store (local folder or S3), where fixity checks it like the
originals; the ZIP's SHA-256 is its name there.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import bagit
from flask import current_app

from app import storage
from app.models import Document
from app.storage import StoredBlob


def work_root() -> Path:
    configured = current_app.config.get("TRANSFER_DIR")
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / "archive-transfers"
    root.mkdir(parents=True, exist_ok=True)
    return root


def build_package(name: str, documents: list[Document],
                  snapshots: dict[int, dict]) -> StoredBlob:
    """Write, validate and store the bag ``name`` as a ZIP. Raises bagit.BagError."""
    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work_root()))
    try:
        bag_dir = work / name
        bag_dir.mkdir()
        for document in documents:
            folder = bag_dir / str(document.id)
            folder.mkdir()
            for position, file in enumerate(document.files, start=1):
                # Names come from the hash and position, never from user input.
                suffix = Path(file.original_filename).suffix.lower()[:10]
                suffix = suffix if suffix[1:].isalnum() else ""
                with storage.open(file.sha256) as source, \
                        (folder / f"original-{position}{suffix}").open("wb") as target:
                    shutil.copyfileobj(source, target, storage.CHUNK)
            (folder / "metadata.json").write_text(
                json.dumps(snapshots[document.id], ensure_ascii=False, indent=2, default=str),
                encoding="utf-8")
        bag = bagit.make_bag(str(bag_dir), {
            "Source-Organization": current_app.config["ARCHIVE_ORGANIZATION"],
            "Bagging-Date": date.today().isoformat(),
            "External-Description": f"{len(documents)} records transferred to the historical archive",
            "External-Identifier": name,
        }, checksums=["sha256"])
        bag.validate()
        archive = shutil.make_archive(str(work / name), "zip", root_dir=work, base_dir=name)
        with open(archive, "rb") as stream:
            return storage.save(stream, 1 << 40)
    finally:
        shutil.rmtree(work, ignore_errors=True)
