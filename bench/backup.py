"""Backup and restore: time and MB/s for the corpus and for 10,000 documents.

    .venv/bin/python bench/backup.py [--documents N] [--only corpus|synthetic]
        [--database URL] [--restore-database URL] [--keep]

Two archives, each built in the database ``--database`` (default
``$BENCH_DATABASE``, ``archive_bench``; schema rebuilt from the migrations) with its own storage
folder, Redis ``BENCH_REDIS_URL`` (default 14) and index prefix
``$BENCH_ES_PREFIX-backup`` (default ``archive-bench-backup``; queue
``$BENCH_RQ_QUEUE-backup``): give another database, Redis number and prefix to
run beside another session's bench.

* **corpus**: every file of ``../shared/corpus`` uploaded through the API and
  processed by an in-process worker on the interactive lane (text, thumbnails,
  LibreOffice renderings; scans handed to the OCR lane stay queued: OCR is not
  what is measured here);
* **synthetic**: ``--documents`` records (10,000) written through the models and
  the storage interface, one audit entry each: originals cut from the corpus's
  bytes to sizes drawn from a log-normal law (median 60 KB, 4 KB–2 MB) and made
  unique, ~3 KB of extracted Vietnamese text each.

For each: ``flask backup create`` into a fresh folder (full), again (nothing
new), after 1 % more records (incremental; synthetic only), ``flask backup
verify``, and ``flask backup restore`` into ``--restore-database`` (default
``$BENCH_DATABASE_restore``; emptied first) with its own storage folder and index
prefix. The full backup is also made encrypted (a fresh key, into its own folder;
synthetic: brought up to the same records as the plain one after the 1 %),
verified and restored (emptied again first), each time printed beside the plain
one as a ratio. Beside each figure a reference measured in the same run on the same
bytes: ``pg_dump -Fc`` alone, ``cp -r`` of the storage folder, ``sha256sum`` of
every stored object, ``pg_restore`` alone into the empty restore database. The
page cache is warm for both sides of every comparison (the objects were just
written). Prints figures only.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import benchlib
from backup_load import load_corpus, load_synthetic

PREFIX = f"{benchlib.ES_PREFIX}-backup"
QUEUE = f"{benchlib.RQ_QUEUE}-backup"


def make_app(url: str, storage: Path, prefix: str):
    from app import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=url, STORAGE_DIR=str(storage),
                      ES_INDEX_PREFIX=prefix, RQ_QUEUE=QUEUE, REDIS_URL=benchlib.REDIS_URL)


def empty(app, migrate: bool) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.extensions import db, services
    from indexers import client

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()
        client.drop_all()
        services.redis.flushdb()
        if migrate:
            upgrade()
            client.ensure_index()
    shutil.rmtree(app.config["STORAGE_DIR"], ignore_errors=True)


def ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def sh(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def references(app, work: Path) -> dict[str, float]:
    """Plain tools on the same bytes: pg_dump, cp -r, sha256sum."""
    from app.backup.engines import for_app

    storage = Path(app.config["STORAGE_DIR"])
    with app.app_context():
        database = for_app(app)
        _none, dump = timed(database.dump, work / "plain.dump")
    copy = sh("cp", "-r", str(storage), str(work / "plain-copy"))
    synced = sh("sync", "-f", str(work / "plain-copy"))  # cp alone leaves it in the page cache
    shutil.rmtree(work / "plain-copy")
    objects = [str(p) for p in storage.rglob("*") if p.is_file() and p.parent.name != "tmp"]
    started = time.perf_counter()
    for i in range(0, len(objects), 2000):
        subprocess.run(["sha256sum", *objects[i:i + 2000]], check=True, capture_output=True)
    return {"pg_dump": dump, "cp": copy + synced, "cp_alone": copy, "sync": synced,
            "sha256sum": time.perf_counter() - started}


def run(label: str, source, target, work: Path, grow=None) -> None:
    from app.backup.create import create_backup
    from app.backup.engines import for_app
    from app.backup.restore import restore_backup
    from app.backup.verify import verify_backups

    from app.backup import crypto

    refs = references(source, work)
    dest = work / f"dest-{label}"
    with source.app_context():
        full, t_full = timed(create_backup, dest, key=None)
        again, t_again = timed(create_backup, dest, key=None)
        sealed_dest = work / f"dest-{label}-encrypted"
        secret = crypto.new_key()
        key = crypto.parse_key(secret)
        encrypted, t_encrypted = timed(create_backup, sealed_dest, key=key)
        checked_sealed, t_verify_sealed = timed(verify_backups, sealed_dest, key=key)
    assert checked_sealed.ok, checked_sealed.problems[:5]
    size = full.object_bytes + full.dump_bytes
    lines = [f"\n## {label}: {full.objects} objects, {full.object_bytes / 1e6:.1f} MB; "
             f"database dump {full.dump_bytes / 1e6:.1f} MB",
             f"References: pg_dump -Fc {refs['pg_dump']:.2f} s; cp -r {refs['cp_alone']:.2f} s "
             f"then sync -f {refs['sync']:.2f} s; sha256sum {refs['sha256sum']:.2f} s\n",
             "| step | seconds | MB/s | reference (same run, same bytes) | ratio |",
             "|---|---:|---:|---|---:|",
             f"| backup, full | {t_full:.2f} | {size / 1e6 / t_full:.1f} | pg_dump -Fc + cp -r + sync: "
             f"{refs['pg_dump'] + refs['cp']:.2f} s | {t_full / (refs['pg_dump'] + refs['cp']):.2f}× |",
             f"| – database phase | {full.seconds['database']:.2f} | | pg_dump -Fc alone: "
             f"{refs['pg_dump']:.2f} s | {full.seconds['database'] / refs['pg_dump']:.2f}× |",
             f"| – objects phase (copy + hash + fsync) | {full.seconds['objects']:.2f} | "
             f"{full.object_bytes / 1e6 / full.seconds['objects']:.1f} | cp -r + sync: {refs['cp']:.2f} s "
             f"| {full.seconds['objects'] / refs['cp']:.2f}× |",
             f"| backup, full, encrypted (AES-256-GCM) | {t_encrypted:.2f} | "
             f"{size / 1e6 / t_encrypted:.1f} | plain full backup: {t_full:.2f} s | "
             f"{t_encrypted / t_full:.2f}× |",
             f"| – objects phase, encrypted | {encrypted.seconds['objects']:.2f} | "
             f"{encrypted.object_bytes / 1e6 / encrypted.seconds['objects']:.1f} | plain: "
             f"{full.seconds['objects']:.2f} s | "
             f"{encrypted.seconds['objects'] / full.seconds['objects']:.2f}× |",
             f"| backup again, nothing new ({again.copied} copied) | {t_again:.2f} | | | |"]
    if grow:
        with source.app_context():
            what = grow()
            inc, t_inc = timed(create_backup, dest)
            create_backup(sealed_dest, key=key)  # the same records as the plain restore
        lines.append(f"| backup after {what} ({inc.copied} objects, "
                     f"{inc.copied_bytes / 1e6:.1f} MB copied) | {t_inc:.2f} | | | |")
    with source.app_context():
        checked, t_verify = timed(verify_backups, dest)
    assert checked.ok, checked.problems[:5]
    lines.append(f"| verify (every hash) | {t_verify:.2f} | {checked.bytes / 1e6 / t_verify:.1f} | "
                 f"sha256sum: {refs['sha256sum']:.2f} s | {t_verify / refs['sha256sum']:.2f}× |")
    lines.append(f"| verify, encrypted (decrypt + every hash) | {t_verify_sealed:.2f} | "
                 f"{checked_sealed.bytes / 1e6 / t_verify_sealed:.1f} | plain verify: "
                 f"{t_verify:.2f} s | {t_verify_sealed / t_verify:.2f}× |")

    empty(target, migrate=False)
    with target.app_context():
        database = for_app(target)
        newest = sorted((dest / "backups").iterdir())[-1] / "database.dump"
        _none, t_pg_restore = timed(database.restore, newest, work)
    empty(target, migrate=False)
    with target.app_context():
        restored, t_restore = timed(restore_backup, dest)
    assert restored.ok, restored.problems[:5]
    rs = restored.seconds
    lines += [f"| restore, total | {t_restore:.2f} | {size / 1e6 / t_restore:.1f} | "
              f"pg_restore + cp -r + sync: {t_pg_restore + refs['cp']:.2f} s | "
              f"{t_restore / (t_pg_restore + refs['cp']):.2f}× |",
              f"| – database (pg_restore, tombstones) | {rs['database']:.2f} | | pg_restore alone: "
              f"{t_pg_restore:.2f} s | {rs['database'] / t_pg_restore:.2f}× |",
              f"| – objects (read, hash, store, fsync) | {rs['objects']:.2f} | "
              f"{restored.copied_bytes / 1e6 / rs['objects']:.1f} | cp -r + sync: {refs['cp']:.2f} s | "
              f"{rs['objects'] / refs['cp']:.2f}× |",
              f"| – search index rebuilt ({restored.indexed} records) | {rs['index']:.2f} | "
              f"{restored.indexed / rs['index']:.0f} records/s | | |"]
    lines += restore_encrypted(target, sealed_dest, secret, size, t_restore, restored)
    lines.append(f"Audit chain after the restores: {restored.audit.checked} entries, "
                 + ("intact." if restored.audit.ok else "BROKEN."))
    print("\n".join(lines), flush=True)


def restore_encrypted(target, sealed_dest: Path, secret: str, size: int, t_plain: float,
                      plain) -> list[str]:
    """The encrypted backup restored into the emptied target, beside the plain restore."""
    from app.backup.restore import restore_backup

    empty(target, migrate=False)
    target.config["BACKUP_KEY"] = secret
    try:
        with target.app_context():
            restored, seconds = timed(restore_backup, sealed_dest)
    finally:
        target.config["BACKUP_KEY"] = ""
    assert restored.ok, restored.problems[:5]
    assert (restored.objects, restored.indexed) == (plain.objects, plain.indexed)
    shutil.rmtree(sealed_dest)
    rs, ps = restored.seconds, plain.seconds
    return [f"| restore, encrypted, total | {seconds:.2f} | {size / 1e6 / seconds:.1f} | "
            f"plain restore: {t_plain:.2f} s | {seconds / t_plain:.2f}× |",
            f"| – database, encrypted (decrypt dump, pg_restore) | {rs['database']:.2f} | | "
            f"plain: {ps['database']:.2f} s | {rs['database'] / ps['database']:.2f}× |",
            f"| – objects, encrypted (decrypt, hash, store, fsync) | {rs['objects']:.2f} | "
            f"{plain.copied_bytes / 1e6 / rs['objects']:.1f} | plain: {ps['objects']:.2f} s | "
            f"{rs['objects'] / ps['objects']:.2f}× |",
            f"| – search index rebuilt | {rs['index']:.2f} | | plain: {ps['index']:.2f} s | "
            f"{rs['index'] / ps['index']:.2f}× |"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--only", choices=("corpus", "synthetic"))
    parser.add_argument("--database", default=f"{benchlib.PG_SERVER}/{benchlib.BENCH_DB}")
    parser.add_argument("--restore-database",
                        default=f"{benchlib.PG_SERVER}/{benchlib.BENCH_DB}_restore")
    parser.add_argument("--keep", action="store_true", help="Keep the backup folders.")
    args = parser.parse_args()
    for url in (args.database, args.restore_database):
        ensure_database(url)
    benchlib.wait_for_es()
    print(f"# Backup and restore\n{benchlib.machine_line()}")
    work = Path(tempfile.mkdtemp(prefix="archive-bench-backup-"))
    source = make_app(args.database, work / "storage", PREFIX)
    target = make_app(args.restore_database, work / "restored-storage", f"{PREFIX}-restore")
    try:
        if args.only in (None, "corpus"):
            empty(source, migrate=True)
            print(f"\nLoaded: {load_corpus(source, benchlib.CORPUS_DIR)}", flush=True)
            run("corpus", source, target, work)
        if args.only in (None, "synthetic"):
            empty(source, migrate=True)
            loaded, seconds = timed(load_synthetic, source, args.documents)
            print(f"\nLoaded: {loaded} in {seconds:.0f} s", flush=True)
            extra = max(1, args.documents // 100)
            run("synthetic", source, target, work,
                grow=lambda: (load_synthetic(source, extra, start=args.documents),
                              f"{extra} more records")[1])
    finally:
        for app in (source, target):
            empty(app, migrate=False)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"\nKept: {work}")


if __name__ == "__main__":
    main()
