"""An OAI record -> what this archive keeps of it.

``nd30`` (schemas/oai/nd30.xsd, namespace ``urn:vn-archive:nd30:1.0``) carries
every NĐ 30 field and the original files with their SHA-256; ``oai_dc`` only
what Dublin Core has (no files). Unknown codes are dropped rather than failing
the record (a newer provider may know more types); text is cut to the columns'
lengths. Briefings (``<briefing>``) are recognised and not imported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from app.domain.vocab import CATEGORIES, DOCUMENT_TYPES, SECRECY_LEVELS, URGENCY_LEVELS
from app.services.metadata import DocumentMetadata
from app.sharing.harvest.client import OAI, parse_utc

ND30 = "{urn:vn-archive:nd30:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
LIMITS = {"title": 500, "number": 20, "symbol": 100, "issuing_agency": 300, "place": 120,
          "signer_name": 200, "signer_position": 200, "language": 10}


@dataclass
class RemoteFile:
    url: str
    name: str
    media_type: str
    size: int | None
    sha256: str | None
    main: bool = False


@dataclass
class HarvestedRecord:
    identifier: str
    datestamp: datetime | None
    deleted: bool
    kind: str = "document"  # or "briefing" (not imported), "unknown"
    metadata: DocumentMetadata | None = None
    files: list[RemoteFile] = field(default_factory=list)


class MappingError(ValueError):
    """The record cannot be read (no identifier, no title, malformed XML)."""


def read_record(element: etree._Element) -> HarvestedRecord:
    header = element.find(f"{OAI}header")
    if header is None:
        raise MappingError("no header")
    identifier = (header.findtext(f"{OAI}identifier") or "").strip()
    if not identifier or len(identifier) > 300:
        raise MappingError("no usable identifier")
    record = HarvestedRecord(identifier=identifier,
                             datestamp=parse_utc(header.findtext(f"{OAI}datestamp")),
                             deleted=header.get("status") == "deleted")
    if record.deleted:
        return record
    metadata = element.find(f"{OAI}metadata")
    root = next((child for child in metadata if isinstance(child.tag, str)), None) \
        if metadata is not None else None  # the first element (comments are skipped)
    if root is None:
        raise MappingError("no metadata")
    if root.tag == f"{ND30}document":
        record.metadata, record.files = _nd30(root)
    elif root.tag == f"{ND30}briefing":
        record.kind = "briefing"
    elif root.tag.endswith("}dc"):
        record.metadata = _dc(root)
    else:
        record.kind = "unknown"
    return record


def _text(root, path: str) -> str | None:
    value = root.findtext(path)
    value = value.strip() if value else ""
    return value or None


def _code(root, path: str, known) -> str | None:
    element = root.find(path)
    code = element.get("code") if element is not None else None
    return code if code in known else None


def _nd30(root) -> tuple[DocumentMetadata, list[RemoteFile]]:
    n = ND30
    title = _text(root, f"{n}title")
    if not title:
        raise MappingError("no title")
    page_count = _text(root, f"{n}pageCount")
    recipients = [r.text.strip() for r in root.iterfind(f"{n}recipients/{n}recipient")
                  if r.text and r.text.strip()]
    meta = DocumentMetadata(
        title=title,
        category=_code(root, f"{n}category", CATEGORIES) or "other",
        doc_type=_code(root, f"{n}documentType", DOCUMENT_TYPES),
        number=_text(root, f"{n}number"),
        symbol=_text(root, f"{n}symbol"),
        issuing_agency=_text(root, f"{n}issuingBody"),
        place=_text(root, f"{n}place"),
        issue_date=_date(_text(root, f"{n}issueDate")),
        summary=_text(root, f"{n}summary"),
        signer_position=_text(root, f"{n}signer/{n}position"),
        signer_name=_text(root, f"{n}signer/{n}name"),
        recipients="\n".join(recipients) or None,
        # Only "Thường" is ever sent; anything else is kept at its (stricter) level.
        secrecy=_code(root, f"{n}secrecy", SECRECY_LEVELS) or "thuong",
        urgency=_code(root, f"{n}urgency", URGENCY_LEVELS) or "thuong",
        language=_text(root, f"{n}language") or "vi",
        page_count=int(page_count) if page_count and page_count.isdigit() else None,
    )
    files = []
    for element in root.iterfind(f"{n}files/{n}file"):
        url = (element.get("url") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        sha = (element.get("sha256") or "").strip().lower()
        size = element.get("size")
        files.append(RemoteFile(
            url=url, name=(element.text or "").strip() or url.rsplit("/", 1)[-1],
            media_type=(element.get("mediaType") or "").strip(),
            size=int(size) if size and size.isdigit() else None,
            sha256=sha if _SHA256.match(sha) else None,
            main=(element.get("main") or "").strip() in ("true", "1")))
    files.sort(key=lambda f: not f.main)  # the main file first: it is the one extracted
    return _fit(meta), files


def _dc(root) -> DocumentMetadata:
    title = _text(root, f"{DC}title")
    if not title:
        raise MappingError("no title")
    dates = [d.text.strip() for d in root.iterfind(f"{DC}date") if d.text]
    return _fit(DocumentMetadata(
        title=title,
        summary=_text(root, f"{DC}description"),
        issuing_agency=_text(root, f"{DC}publisher") or _text(root, f"{DC}creator"),
        issue_date=next((d for d in map(_date, dates) if d), None),
        language=(_text(root, f"{DC}language") or "vi")[:10],
    ))


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _fit(meta: DocumentMetadata) -> DocumentMetadata:
    for name, limit in LIMITS.items():
        value = getattr(meta, name)
        if isinstance(value, str) and len(value) > limit:
            setattr(meta, name, value[:limit].rstrip())
    return meta
