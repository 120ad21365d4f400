"""The two archives bench/backup.py measures: the corpus, and N synthetic records."""
from __future__ import annotations

import io
import math
import random
from pathlib import Path

import benchlib

TEXT_SOURCES = ("seeds",)


def load_corpus(app, folder: Path) -> str:
    from rq import SimpleWorker

    from app.extensions import services
    from app.jobs.queue import worker_queues

    token = benchlib.make_token(app)
    client = app.test_client()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv")
    for path in files:
        with path.open("rb") as fh:
            client.post("/api/v1/documents", headers={"Authorization": f"Bearer {token}"},
                        data={"file": (fh, path.name)}, content_type="multipart/form-data")
    with app.app_context():
        SimpleWorker(worker_queues(("interactive",)), connection=services.redis).work(burst=True)
    return f"{len(files)} corpus files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"


def load_synthetic(app, count: int, start: int = 0) -> str:
    from app import storage
    from app.extensions import db
    from app.models import Document, DocumentFile, User
    from app.services import audit
    from app.services.accounts import create_user

    rng = random.Random(42 + start)
    pool = [p.read_bytes() for p in sorted(benchlib.CORPUS_DIR.rglob("*"))
            if p.is_file() and p.stat().st_size > 8192]
    text = " ".join(p.read_text(encoding="utf-8") for source in TEXT_SOURCES
                    for p in sorted((benchlib.CORPUS_DIR / source).glob("*.txt"))).split()
    total = 0
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "bench")) or \
            create_user("bench", benchlib.PASSWORD, role="uploader")
        for i in range(start, start + count):
            size = int(min(2 << 20, max(4096, rng.lognormvariate(math.log(60_000), 1.0))))
            base = pool[i % len(pool)]
            body = (base * (size // len(base) + 1))[:size] + f"\n%% record {i}\n".encode()
            blob = storage.save(io.BytesIO(body), 1 << 40)
            total += blob.size
            first = rng.randrange(max(1, len(text) - 500))
            words = " ".join(text[first:first + 450]) + f" tài liệu số {i}"
            document = Document(title=f"Tài liệu thử số {i}", category="report",
                                status="indexed", uploaded_by_id=user.id)
            document.files.append(DocumentFile(original_filename=f"tai-lieu-{i}.pdf",
                                               media_type="application/pdf", size=blob.size,
                                               sha256=blob.sha256, extracted_text=words))
            db.session.add(document)
            db.session.flush()
            audit.record(user, "create", "document", document.id, filename=f"tai-lieu-{i}.pdf")
            if i % 500 == 0:
                db.session.commit()
        db.session.commit()
    return f"{count} records, {total / 1e6:.1f} MB of originals"
