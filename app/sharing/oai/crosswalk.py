"""Records as ``oai_dc`` and ``nd30`` metadata (pyoai metadata writers).

``nd30`` (schemas/oai/nd30.xsd) carries every NĐ 30/2020 field of a document and
links to its original files, enough for another archive to rebuild the record;
``oai_dc`` is the simple Dublin Core every harvester reads. Labels are
Vietnamese: the provider renders under the ``vi`` locale.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lxml.etree import SubElement

from app.domain import briefings as briefing_vocab
from app.domain.vocab import (CATEGORIES, SECRECY_LEVELS, TYPE_ABBREVIATIONS, TYPE_NAMES_VI,
                              URGENCY_LEVELS)
from app.models import Briefing, Document
from app.sharing.oai.records import DOC, Record, identifier
from app.sharing.visibility import OPEN_SECRECY, Principal, is_document_visible

NS_ND30 = "urn:vn-archive:nd30:1.0"
NS_OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SCHEMA_LOCATION = f"{{{NS_XSI}}}schemaLocation"
NO_ABBREVIATION = {"LUAT", "AL", "OTHER"}  # their symbols carry no type part
# Characters XML 1.0 cannot carry (extracted texts sometimes hold form feeds).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Labels:
    """The vocabularies' labels as text in the current language, looked up once per response."""

    categories: dict[str, str]
    urgency: dict[str, str]
    secrecy: str
    kinds: dict[str, str]
    hosts: dict[str, str]
    topics: dict[str, str]

    @classmethod
    def current(cls) -> Labels:
        def text(vocabulary: dict) -> dict[str, str]:
            return {code: str(label) for code, label in vocabulary.items()}

        return cls(text(CATEGORIES), text(URGENCY_LEVELS), str(SECRECY_LEVELS[OPEN_SECRECY][1]),
                   text(briefing_vocab.KINDS), text(briefing_vocab.HOSTS),
                   text(briefing_vocab.TOPICS))


@dataclass(frozen=True)
class Context:
    principal: Principal
    file_url: Callable[[int, str], str]  # (document id, sha256) -> download address
    nd30_schema: str                     # where nd30.xsd is served
    labels: Labels


def clean(value) -> str:
    return _NOT_XML.sub("", str(value)).strip()


def utc(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


# --- nd30 -----------------------------------------------------------------

def write_nd30(parent, record: Record, ctx: Context) -> None:
    if record.kind == DOC:
        _nd30_document(parent, record.item, ctx)
    else:
        _nd30_briefing(parent, record.item, ctx)


def _root(parent, name: str, ctx: Context):
    root = SubElement(parent, f"{{{NS_ND30}}}{name}", nsmap={"nd30": NS_ND30, "xsi": NS_XSI})
    root.set(SCHEMA_LOCATION, f"{NS_ND30} {ctx.nd30_schema}")
    return root


def _el(parent, name: str, text=None, **attrs):
    element = SubElement(parent, f"{{{NS_ND30}}}{name}")
    if text is not None:
        element.text = clean(text)
    for key, value in attrs.items():  # codes, numbers, addresses: nothing to clean
        element.set(key, str(value))
    return element


def _opt(parent, name: str, value) -> None:
    if value not in (None, ""):
        _el(parent, name, value)


def _nd30_document(parent, d: Document, ctx: Context) -> None:
    root = _root(parent, "document", ctx)
    _el(root, "title", d.title)
    if d.doc_type:
        kind = _el(root, "documentType", TYPE_NAMES_VI.get(d.doc_type, d.doc_type),
                   code=d.doc_type)
        abbreviation = TYPE_ABBREVIATIONS.get(d.doc_type, d.doc_type)
        if abbreviation and d.doc_type not in NO_ABBREVIATION:
            kind.set("abbreviation", abbreviation)
    for name, value in (("number", d.number), ("symbol", d.symbol),
                        ("issuingBody", d.issuing_agency), ("place", d.place),
                        ("issueDate", d.issue_date.isoformat() if d.issue_date else None),
                        ("summary", d.summary)):
        _opt(root, name, value)
    if d.signer_name or d.signer_position:
        signer = _el(root, "signer")
        _opt(signer, "position", d.signer_position)
        _opt(signer, "name", d.signer_name)
    lines = recipient_lines(d.recipients)
    if lines:
        recipients = _el(root, "recipients")
        for line in lines:
            _el(recipients, "recipient", line)
    labels = ctx.labels
    _el(root, "secrecy", labels.secrecy, code=OPEN_SECRECY)
    _el(root, "urgency", labels.urgency.get(d.urgency, d.urgency), code=d.urgency)
    _el(root, "category", labels.categories.get(d.category, d.category), code=d.category)
    _el(root, "language", d.language or "vi")
    if d.page_count is not None:
        _el(root, "pageCount", d.page_count)
    _el(root, "sharing", d.sharing)
    files = _el(root, "files")
    for n, f in enumerate(d.files):
        attrs = {"url": ctx.file_url(d.id, f.sha256), "mediaType": f.media_type,
                 "size": f.size, "sha256": f.sha256}
        if n == 0:
            attrs["main"] = "true"
        _el(files, "file", f.original_filename, **attrs)


def _nd30_briefing(parent, b: Briefing, ctx: Context) -> None:
    root = _root(parent, "briefing", ctx)
    _el(root, "title", b.title)
    _el(root, "kind", ctx.labels.kinds.get(b.kind, b.kind), code=b.kind)
    _el(root, "heldAt", utc(b.held_at))
    _opt(root, "place", b.place)
    for name, codes, labels in (("hosts", b.hosts, ctx.labels.hosts),
                                ("topics", b.topics, ctx.labels.topics)):
        if codes:
            group = _el(root, name)
            for code in codes:
                _el(group, "item", labels.get(code, code), code=code)
    _opt(root, "chair", b.chair)
    materials = _el(root, "materials")
    for material in shared_materials(b, ctx.principal):
        _el(materials, "material", material.document.title,
            identifier=identifier(DOC, material.document_id), role=material.role)
    coverage = _el(root, "coverage")
    for article in shared_coverage(b, ctx.principal):
        attributes = {"outlet": article.outlet, "publishedOn": article.published_on.isoformat()
                      if article.published_on else None}
        _el(coverage, "article", article.document.title,
            identifier=identifier(DOC, article.document_id),
            **{k: v for k, v in attributes.items() if v})
    _el(root, "sharing", b.sharing)


def shared_materials(b: Briefing, principal: Principal) -> list:
    """Materials the same harvester may see: the others are not even named."""
    return [m for m in b.materials if is_document_visible(principal, m.document)]


def shared_coverage(b: Briefing, principal: Principal) -> list:
    """Press articles of the briefing the same harvester may see, as for materials."""
    return [c.article for c in b.coverage if is_document_visible(principal, c.article.document)]


def recipient_lines(text: str | None) -> list[str]:
    lines = (clean(line).lstrip("-•+ ").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


# --- oai_dc -----------------------------------------------------------------

def write_oai_dc(parent, record: Record, ctx: Context) -> None:
    values = _dc_document(record.item, ctx) if record.kind == DOC else \
        _dc_briefing(record.item, ctx)
    dc_element(parent, values)


def dc_element(parent, values: list[tuple[str, object]]):
    """``oai_dc:dc`` with one ``dc:<name>`` per (name, value) pair that has a value."""
    root = SubElement(parent, f"{{{NS_OAI_DC}}}dc",
                      nsmap={"oai_dc": NS_OAI_DC, "dc": NS_DC, "xsi": NS_XSI})
    root.set(SCHEMA_LOCATION, f"{NS_OAI_DC} {OAI_DC_SCHEMA}")
    for name, value in values:
        if value not in (None, ""):
            SubElement(root, f"{{{NS_DC}}}{name}").text = clean(value)
    return root


def _dc_document(d: Document, ctx: Context) -> list[tuple[str, object]]:
    values = [("title", d.title), ("creator", d.issuing_agency),
              ("subject", ctx.labels.categories.get(d.category, d.category)),
              ("description", d.summary),
              ("contributor", " ".join(" ".join(p.split()) for p in (d.signer_position,
                                                                      d.signer_name) if p)),
              ("date", d.issue_date.isoformat() if d.issue_date else None),
              ("type", TYPE_NAMES_VI.get(d.doc_type) if d.doc_type else None), ("type", "Text"),
              ("identifier", d.number_symbol)]
    values += [("identifier", ctx.file_url(d.id, f.sha256)) for f in d.files]
    values += [("format", media) for media in dict.fromkeys(f.media_type for f in d.files)]
    values += [("language", d.language or "vi"), ("coverage", d.place)]
    return values


def _dc_briefing(b: Briefing, ctx: Context) -> list[tuple[str, object]]:
    values = [("title", b.title), ("type", ctx.labels.kinds.get(b.kind, b.kind)),
              ("type", "Event"), ("date", utc(b.held_at)), ("coverage", b.place)]
    values += [("creator", ctx.labels.hosts.get(c, c)) for c in b.hosts or []]
    values += [("subject", ctx.labels.topics.get(c, c)) for c in b.topics or []]
    values += [("relation", identifier(DOC, m.document_id))
               for m in shared_materials(b, ctx.principal)]
    values += [("relation", identifier(DOC, a.document_id))
               for a in shared_coverage(b, ctx.principal)]
    return values
