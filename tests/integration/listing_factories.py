"""Documents inserted straight into the database (no extraction), for list and bulk tests."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta


def insert_documents(app, specs: list[dict], store_files: bool = False) -> list[int]:
    """One document per spec (field overrides); with ``store_files``, a real stored original."""
    from app.extensions import db
    from app.models import Document, DocumentFile
    from app import storage
    from indexers import documents as document_index

    ids = []
    with app.app_context():
        base = datetime(2024, 1, 1, 8, 0)
        for n, spec in enumerate(specs):
            fields = {"title": f"Tài liệu {n:03d}", "category": "other", "status": "indexed",
                      "secrecy": "thuong", "uploaded_at": base + timedelta(minutes=n)}
            fields.update(spec)
            index = fields.pop("index", False)
            document = Document(**fields)
            content = f"Nội dung của {fields['title']} #{n}".encode()
            if store_files:
                blob = storage.save(io.BytesIO(content), 1 << 20)
                sha, size = blob.sha256, blob.size
            else:
                import hashlib
                sha, size = hashlib.sha256(content).hexdigest(), len(content)
            document.files.append(DocumentFile(original_filename=f"tai lieu {n}.txt",
                                               media_type="text/plain", size=size, sha256=sha,
                                               extraction_method="plain-text",
                                               extracted_text=content.decode()))
            db.session.add(document)
            db.session.flush()
            ids.append(document.id)
            if index:
                document_index.index(document, refresh=True)
        db.session.commit()
    return ids


def day(y: int, m: int = 1, d: int = 1) -> date:
    return date(y, m, d)
