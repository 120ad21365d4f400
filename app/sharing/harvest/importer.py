"""Harvested records into this archive: created, updated, withdrawn or unchanged.

A record is found again by (source, OAI identifier) — a unique constraint —
so a re-harvest never creates a second copy. Its files are fetched from the
provider's links only when their bytes are not stored here yet (storage is
content-addressed by SHA-256, and the SHA-256 the provider announces is
checked), then go through the normal pipeline: the extraction job reads them
and the index job makes them searchable. A record the provider reports as
deleted (destroyed there, withdrawn from sharing, made secret) is erased here
like a deletion: bytes, text and search entry go, a tombstone row stays with
its provenance, so the identifier is recognised if the record comes back.

Records are applied a batch at a time: ``apply`` changes the session without
flushing, the runner flushes the batch once, and ``settle`` then writes what
needs the new ids — citations resolved to the new records and one audit entry
per record (appended to the chain in one go).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flask import current_app

from app.domain.titles import TitleSource
from app.extensions import db
from app.extractors import detect_media_type
from app.models import Disposition, Document, DocumentFile, DocumentStatus, HarvestSource, User
from app.models import ProcessingTask
from app import storage
from app.services import audit
from app.services.citations import resolve_incoming
from app.services.disposition import erase_record
from app.services.documents import display_filename
from app.services.metadata import DocumentMetadata
from app.services.tasks import TaskBatch, schedule
from app.services.uow import UnitOfWork
from app.sharing.harvest.client import HarvestError, OaiClient
from app.sharing.harvest.mapping import HarvestedRecord, RemoteFile

CREATED, UPDATED, DELETED, UNCHANGED, SKIPPED = (
    "created", "updated", "deleted", "unchanged", "skipped")
FIELDS = [name for name in DocumentMetadata.field_names() if name != "title"]
# Files of one batch fetched side by side: the provider serves several requests at
# once, and a harvest otherwise waits for each answer in turn.
PARALLEL_DOWNLOADS = 6


@dataclass
class _Fetched:
    remote: RemoteFile
    blob: storage.StoredBlob


@dataclass
class Importer:
    source: HarvestSource
    client: OaiClient | None
    actor: User | None
    files_fetched: int = 0
    files_reused: int = 0
    batch: TaskBatch | None = None  # extraction tasks sent together after the commit
    # What the batch changed, settled after its flush: (action, document, details).
    pending: list = field(default_factory=list)
    # Records whose search entry only needs rewriting (no file to read): indexed in
    # bulk by the runner right after the batch's commit.
    to_index: list = field(default_factory=list)
    created_blobs: list = field(default_factory=list)  # removed after commit if unused
    _prefetched: dict = field(default_factory=dict)  # url -> StoredBlob or the error
    _media_types: dict = field(default_factory=dict)  # sha256 -> detected by the downloader

    def start_batch(self, uow: UnitOfWork) -> None:
        self.batch, self.pending, self.to_index = TaskBatch(uow), [], []

    def apply(self, record: HarvestedRecord, existing: Document | None,
              uow: UnitOfWork) -> tuple[str, Document | None]:
        """Bring ``record`` into the session (no flush); the outcome and the document.

        Raises HarvestError (a file) or ValidationFailed (metadata) before changing
        anything, so the record is simply counted as failed.
        """
        if record.deleted:
            return self._withdraw(existing, record, uow), existing
        if record.kind != "document" or record.metadata is None:
            return SKIPPED, existing
        erased = existing is not None and existing.disposition in Disposition.ERASED
        if existing is not None and not erased and \
                existing.source_datestamp == record.datestamp:
            return UNCHANGED, existing  # the same version as last time
        meta = record.metadata.cleaned()
        same_files = existing is not None and not erased and \
            [f.sha256 for f in existing.files] == [f.sha256 for f in record.files] and \
            all(f.sha256 for f in record.files)
        fetched = [] if same_files else self._fetch(record.files)
        if existing is None:
            document, outcome = self._create(record, meta, fetched), CREATED
        else:
            document, outcome = existing, UPDATED
            self._update(document, record, meta, None if same_files else fetched, uow)
        if document.files and not same_files:
            # Bulk work: the long lane, sent with the batch's other tasks.
            schedule(uow, document, "extract", ProcessingTask.LONG, batch=self.batch)
        else:
            self.to_index.append(document)
        return outcome, document

    def settle(self) -> None:
        """After the batch's flush: citations waiting for these records, and the audit."""
        entries = []
        for action, document, details in self.pending:
            if action != "harvest.withdraw":
                resolve_incoming(document)
            entries.append((action, "document", document.id, details))
        audit.record_many(self.actor, entries)
        self.pending = []

    # -- files --------------------------------------------------------------
    def wanted(self, records: list[HarvestedRecord], existing: dict) -> list[str]:
        """The file links of a batch whose bytes are not here yet (unchanged records aside)."""
        wanted: dict[str, RemoteFile] = {}
        for record in records:
            if record.deleted or record.kind != "document" or record.metadata is None:
                continue
            known = existing.get(record.identifier)
            if known is not None and known.disposition not in Disposition.ERASED and \
                    known.source_datestamp == record.datestamp:
                continue  # unchanged: nothing to fetch
            for remote in record.files:
                if not (remote.sha256 and storage.exists(remote.sha256)):
                    wanted.setdefault(remote.url, remote)
        return list(wanted)

    def download_all(self, urls: list[str]) -> dict:
        """``url -> (StoredBlob, media type)`` (or the error), ``PARALLEL_DOWNLOADS`` at a time.

        Runs in the downloader thread, in an application context of its own; touches
        nothing but storage, so the batch being written meanwhile is not disturbed.
        The media type is detected here too (libmagic reads each file), off the
        thread that writes the batches.
        """
        if not urls:
            return {}
        app = current_app._get_current_object()
        max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024

        def fetch(url: str):
            with app.app_context():
                try:
                    blob = self.client.download(url, storage.save, max_bytes)
                    return url, (blob, _media_type(blob.sha256) if blob.size else None)
                except Exception as exc:  # noqa: BLE001 - raised again for its record
                    return url, exc

        with ThreadPoolExecutor(max_workers=PARALLEL_DOWNLOADS) as pool:
            return dict(pool.map(fetch, urls))

    def take_downloads(self, results: dict) -> None:
        """The batch's downloaded files, used by ``apply`` instead of fetching them again."""
        for url, result in results.items():
            if isinstance(result, tuple):
                blob, media_type = result
                if media_type:
                    self._media_types[blob.sha256] = media_type
                if blob.created:
                    self.created_blobs.append(blob.sha256)
                result = blob
            self._prefetched[url] = result

    def take_unused_blobs(self) -> list[str]:
        """Bytes stored during the batch: the runner removes those no record kept."""
        self._prefetched.clear()
        self._media_types.clear()
        blobs, self.created_blobs = self.created_blobs, []
        return blobs

    def _fetch(self, files: list[RemoteFile]) -> list[_Fetched]:
        fetched: list[_Fetched] = []
        max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
        for remote in files:
            ready = self._prefetched.pop(remote.url, None)
            if isinstance(ready, BaseException):
                raise ready
            info = storage.stat(remote.sha256) if ready is None and remote.sha256 else None
            if info is not None:
                # Deduplicated by SHA-256: these bytes are here already.
                blob = storage.StoredBlob(remote.sha256, info.size, False)
                self.files_reused += 1
            else:
                blob = ready or self.client.download(remote.url, storage.save, max_bytes)
                if ready is None and blob.created:
                    self.created_blobs.append(blob.sha256)
                self.files_fetched += 1
            if remote.sha256 and blob.sha256 != remote.sha256:
                raise HarvestError("file_checksum", name=remote.name)
            if blob.size == 0:
                raise HarvestError("file_empty", name=remote.name)
            fetched.append(_Fetched(remote, blob))
        return fetched

    def _files(self, fetched: list[_Fetched]) -> list[DocumentFile]:
        return [DocumentFile(original_filename=display_filename(item.remote.name),
                             media_type=self._media_types.get(item.blob.sha256)
                             or _media_type(item.blob.sha256),
                             size=item.blob.size, sha256=item.blob.sha256)
                for item in fetched]

    # -- records ------------------------------------------------------------
    def _details(self, record: HarvestedRecord, **more) -> dict:
        return {"source": self.source.name, "identifier": record.identifier,
                "datestamp": audit.jsonable(record.datestamp), **more}

    def _create(self, record: HarvestedRecord, meta: DocumentMetadata,
                fetched: list[_Fetched]) -> Document:
        document = Document(
            title=meta.title or record.identifier[:500],
            title_source=TitleSource.PERSON,  # the provider's title: never recomposed here
            status=DocumentStatus.QUEUED if fetched else DocumentStatus.NO_TEXT,
            number_key=meta.number_key(),
            source_id=self.source.id, source_identifier=record.identifier,
            source_datestamp=record.datestamp,
            **{name: getattr(meta, name) for name in FIELDS},
        )
        document.files.extend(self._files(fetched))
        db.session.add(document)
        self.pending.append(("harvest.create", document, self._details(
            record, sha256=[item.blob.sha256 for item in fetched])))
        return document

    def _update(self, document: Document, record: HarvestedRecord, meta: DocumentMetadata,
                fetched: list[_Fetched] | None, uow: UnitOfWork) -> None:
        values = {name: getattr(meta, name) for name in FIELDS}
        values["title"] = meta.title or document.title
        changes = audit.apply_changes(document, values)
        if document.disposition in Disposition.ERASED:  # shared again after a withdrawal
            changes["disposition"] = [document.disposition, Disposition.ACTIVE]
            document.disposition, document.disposed_at = Disposition.ACTIVE, None
        if fetched is not None:
            replaced = [sha for f in document.files for sha in (
                f.sha256, f.searchable_sha256, f.thumbnail_sha256, f.preview_sha256) if sha]
            changes["files"] = [[f.original_filename for f in document.files],
                                [f.remote.name for f in fetched]]
            document.files.clear()
            document.files.extend(self._files(fetched))
            document.status = DocumentStatus.QUEUED if fetched else DocumentStatus.NO_TEXT
            document.error_code = document.error_detail = None
            uow.after_commit(lambda: _remove_unreferenced(replaced))
        document.number_key = meta.number_key()
        document.source_datestamp = record.datestamp
        document.bump_revision()
        self.pending.append(("harvest.update", document, self._details(record,
                                                                        changes=changes)))

    def _withdraw(self, existing: Document | None, record: HarvestedRecord,
                  uow: UnitOfWork) -> str:
        if existing is None or existing.disposition in Disposition.ERASED:
            return UNCHANGED  # never had it, or already gone
        existing.source_datestamp = record.datestamp
        erase_record(uow, existing, Disposition.DELETED)
        self.pending.append(("harvest.withdraw", existing, self._details(record)))
        return DELETED


def _media_type(sha256: str) -> str:
    """Detected from the content, as for an upload (a local copy when the store is S3)."""
    with storage.local_copy(sha256) as path:
        return detect_media_type(path)


def _remove_unreferenced(blobs: list[str]) -> None:
    from app.services.previews import remove_replaced

    remove_replaced(blobs)
