"""One harvested record into this archive: created, updated, withdrawn or unchanged.

A record is found again by (source, OAI identifier) — a unique constraint —
so a re-harvest never creates a second copy. Its files are fetched from the
provider's links only when their bytes are not stored here yet (storage is
content-addressed by SHA-256, and the SHA-256 the provider announces is
checked), then go through the normal pipeline: the extraction job reads them
and the index job makes them searchable. A record the provider reports as
deleted (destroyed there, withdrawn from sharing, made secret) is erased here
like a deletion: bytes, text and search entry go, a tombstone row stays with
its provenance, so the identifier is recognised if the record comes back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from app.domain.titles import TitleSource
from app.extensions import db
from app.extractors import detect_media_type
from app.models import Disposition, Document, DocumentFile, DocumentStatus, HarvestSource, User
from app.models import ProcessingTask
from app.services import audit, storage
from app.services.citations import resolve_incoming
from app.services.disposition import erase_record
from app.services.documents import display_filename
from app.services.metadata import DocumentMetadata
from app.services.tasks import schedule
from app.services.uow import UnitOfWork
from app.sharing.harvest.client import HarvestError, OaiClient
from app.sharing.harvest.mapping import HarvestedRecord, RemoteFile

CREATED, UPDATED, DELETED, UNCHANGED, SKIPPED = (
    "created", "updated", "deleted", "unchanged", "skipped")
FIELDS = [name for name in DocumentMetadata.field_names() if name != "title"]


@dataclass
class _Fetched:
    remote: RemoteFile
    blob: storage.StoredBlob


@dataclass
class Importer:
    source: HarvestSource
    client: OaiClient
    actor: User | None
    # Documents whose search entry only needs rewriting (no file to read): the
    # runner indexes them in bulk right after the batch's commit.
    to_index: list[int] = field(default_factory=list)
    files_fetched: int = 0
    files_reused: int = 0
    last: Document | None = None  # the record the last ``apply`` created or changed

    def apply(self, record: HarvestedRecord, existing: Document | None,
              uow: UnitOfWork) -> str:
        """Bring ``record`` into the archive (the caller commits); returns the outcome."""
        if record.deleted:
            return self._withdraw(existing, record, uow)
        if record.kind != "document" or record.metadata is None:
            return SKIPPED
        erased = existing is not None and existing.disposition in Disposition.ERASED
        if existing is not None and not erased and \
                existing.source_datestamp == record.datestamp:
            return UNCHANGED  # the same version as last time
        meta = record.metadata.cleaned()
        same_files = existing is not None and not erased and \
            [f.sha256 for f in existing.files] == [f.sha256 for f in record.files] and \
            all(f.sha256 for f in record.files)
        fetched = [] if same_files else self._fetch(record.files)
        try:
            if existing is None:
                document = self._create(record, meta, fetched, uow)
                outcome = CREATED
            else:
                document = existing
                self._update(document, record, meta, None if same_files else fetched, uow)
                outcome = UPDATED
            db.session.flush()
            self.last = document
        except BaseException:
            for item in fetched:
                if item.blob.created:
                    storage.remove(item.blob.sha256)
            raise
        if document.files and not same_files:
            schedule(uow, document, "extract", ProcessingTask.LONG)  # bulk work: the long lane
        else:
            self.to_index.append(document.id)
        return outcome

    # -- files --------------------------------------------------------------
    def _fetch(self, files: list[RemoteFile]) -> list[_Fetched]:
        fetched: list[_Fetched] = []
        max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
        try:
            for remote in files:
                if remote.sha256 and storage.path_for(remote.sha256).exists():
                    # Deduplicated by SHA-256: these bytes are here already.
                    path = storage.path_for(remote.sha256)
                    blob = storage.StoredBlob(remote.sha256, path.stat().st_size, path, False)
                    self.files_reused += 1
                else:
                    blob = self.client.download(remote.url, storage.store, max_bytes)
                    self.files_fetched += 1
                fetched.append(_Fetched(remote, blob))
                if remote.sha256 and blob.sha256 != remote.sha256:
                    raise HarvestError("file_checksum", name=remote.name)
                if blob.size == 0:
                    raise HarvestError("file_empty", name=remote.name)
        except BaseException:
            for item in fetched:
                if item.blob.created:
                    storage.remove(item.blob.sha256)
            raise
        return fetched

    def _files(self, fetched: list[_Fetched]) -> list[DocumentFile]:
        return [DocumentFile(original_filename=display_filename(item.remote.name),
                             media_type=detect_media_type(item.blob.path),
                             size=item.blob.size, sha256=item.blob.sha256)
                for item in fetched]

    # -- records ------------------------------------------------------------
    def _create(self, record: HarvestedRecord, meta: DocumentMetadata,
                fetched: list[_Fetched], uow: UnitOfWork) -> Document:
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
        db.session.flush()
        resolve_incoming(document)
        audit.record(self.actor, "harvest.create", "document", document.id,
                     source=self.source.name, identifier=record.identifier,
                     datestamp=audit.jsonable(record.datestamp),
                     sha256=[item.blob.sha256 for item in fetched])
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
        resolve_incoming(document)
        audit.record(self.actor, "harvest.update", "document", document.id,
                     source=self.source.name, identifier=record.identifier,
                     datestamp=audit.jsonable(record.datestamp), changes=changes)

    def _withdraw(self, existing: Document | None, record: HarvestedRecord,
                  uow: UnitOfWork) -> str:
        if existing is None or existing.disposition in Disposition.ERASED:
            return UNCHANGED  # never had it, or already gone
        audit.record(self.actor, "harvest.withdraw", "document", existing.id,
                     source=self.source.name, identifier=record.identifier,
                     datestamp=audit.jsonable(record.datestamp))
        existing.source_datestamp = record.datestamp
        erase_record(uow, existing, Disposition.DELETED)
        return DELETED


def _remove_unreferenced(blobs: list[str]) -> None:
    from app.services.previews import remove_replaced

    remove_replaced(blobs)
