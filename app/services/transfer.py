"""Transfer packages for the historical archive, in the BagIt layout (RFC 8493).

Each record becomes ``data/<id>/`` holding its original file(s) and a
``metadata.json``; ``bagit`` writes the SHA-256 manifests and validates the
bag (every payload file against its manifest) before anything is marked
transferred. A ZIP of the bag is kept beside it for download.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import bagit
from flask import current_app

from app.models import Document
from app.services import storage


def transfer_root() -> Path:
    configured = current_app.config.get("TRANSFER_DIR")
    if configured:
        return Path(configured)
    originals = storage.storage_root()
    return originals.parent / f"{originals.name}-transfers"


def build_package(name: str, documents: list[Document], snapshots: dict[int, dict]) -> Path:
    """Write and validate the bag ``name``; returns the ZIP path. Raises bagit.BagError."""
    root = transfer_root()
    bag_dir = root / name
    if bag_dir.exists():
        shutil.rmtree(bag_dir)
    bag_dir.mkdir(parents=True)
    for document in documents:
        folder = bag_dir / str(document.id)
        folder.mkdir()
        for position, file in enumerate(document.files, start=1):
            # Names come from the hash and position, never from user input.
            suffix = Path(file.original_filename).suffix.lower()[:10]
            suffix = suffix if suffix[1:].isalnum() else ""
            shutil.copyfile(storage.path_for(file.sha256), folder / f"original-{position}{suffix}")
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
    archive = shutil.make_archive(str(root / name), "zip", root_dir=root, base_dir=name)
    return Path(archive)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
