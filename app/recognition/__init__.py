"""Read a Vietnamese administrative document like a clerk (pure logic, no I/O).

Input is the text produced by ``app.extractors.extract`` (or OCR, or any
plain text); output is what NĐ 30/2020/NĐ-CP prescribes a document to show::

    from app.recognition import recognize, find_citations

    meta = recognize(text)                  # RecognizedMetadata
    meta.issuing_body                       # "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    meta.symbol, meta.number_blank          # "TB-UBND", True   (Số: /TB-UBND)
    meta.issue_date_text                    # "ngày tháng 01 năm 2025" (issue_date None)
    meta.doc_type                           # "TB"  (keys of app.domain.vocab.DOCUMENT_TYPES)
    meta.citations[0].key                   # "1479/qd-ttg"
    meta.as_dict()                          # JSON-ready (ISO dates)

    find_citations(text)                    # list[Citation] only

Fields
------
``parent_body`` / ``issuing_body``
    The issuing-body block, parent line first (``UBND TỈNH QUẢNG NGÃI`` /
    ``SỞ TƯ PHÁP``). A name wrapped over two lines is one body: ``ỦY BAN NHÂN
    DÂN`` + ``TỈNH QUẢNG NGÃI`` -> issuing body ``ỦY BAN NHÂN DÂN TỈNH QUẢNG
    NGÃI``, no parent. As printed (capitals).
``number`` / ``symbol`` / ``number_blank``
    ``Số: 05/TB-UBND`` -> ``"05"`` / ``"TB-UBND"``. A legal normative number keeps
    its year in the symbol: ``19/2019/NĐ-CP`` -> ``"19"`` / ``"2019/NĐ-CP"``, so
    ``number + "/" + symbol`` is always the printed form (``meta.number_symbol``;
    Party documents ``Số 123-KH/TU`` -> ``"123"`` / ``"KH/TU"``, joined with
    ``-``). ``Số: /TB-UBND`` (signed PDFs: the number is stamped later) ->
    number None, ``number_blank`` True. ``Số: Không số`` -> both None, not blank.
``place`` / ``issue_date`` / ``issue_date_text``
    From ``Quảng Ngãi, ngày 23 tháng 5 năm 2024``. A blank day or month gives
    ``issue_date`` None and the text as printed (``ngày tháng 01 năm 2025``).
    A law without a date line (DOCX of a Bộ luật) takes the date of its
    adoption sentence (``... thông qua ngày 24 tháng 11 năm 2015``).
``doc_type`` / ``summary``
    From the type line (``KẾ HOẠCH``) and the lines under it; a ``V/v`` block
    means công văn (``CV``; summary without ``V/v``); ``ÁN LỆ SỐ ...`` is ``AL``;
    Hiến pháp, Pháp lệnh, Kết luận... are ``OTHER``. Without a type line, the
    type part of the symbol (``TB-UBND`` -> ``TB``; no type part -> ``CV``).
``signer_authority`` / ``signer_authorities`` / ``signer_position`` / ``signer_name``
    ``TL. CHỦ TỊCH`` / ``KT. CHÁNH VĂN PHÒNG`` / ``PHÓ CHÁNH VĂN PHÒNG`` /
    ``Nguyễn Phước Bình`` -> ``"TL."``, ``["TL.", "KT."]``, ``"PHÓ CHÁNH VĂN
    PHÒNG"``, ``"Nguyễn Phước Bình"``: the position is the signer's own line.
``recipients``
    The ``Nơi nhận:`` bullets, one string each, wrapped lines joined, trailing
    ``;`` removed, ``Như trên`` kept, the ``Lưu: VT, ...`` line left out.
``secrecy`` / ``urgency``
    ``mat`` / ``toi_mat`` / ``tuyet_mat`` and ``khan`` / ``thuong_khan`` /
    ``hoa_toc`` (keys of ``SECRECY_LEVELS`` / ``URGENCY_LEVELS``), from a mark
    printed in capitals in the header.
``legal_numbers``
    Every normative number with its year in the text, the document's own
    included (``09/2017/NĐ-CP``, ``91/2015/QH13``, ``26/2018/AL``), as printed,
    once each; court case numbers (``30/2012/DS-ST``) are not normative.
``citations``
    One :class:`Citation` per document referred to in the text (the
    document's own number excluded): state (``1079/QĐ-TTg``), legal
    (``09/2017/NĐ-CP``) and Party (``02-NQ/TW``) numbers, in order of first
    mention; date, type and issuer are filled from whichever mention gives
    them. Keys are ``normalize_number_symbol`` keys; a number restarts every
    year, so (key, year) identifies the cited document.

Recognisers (one module each): ``prep`` (lines, split syllables ``Quy ết``),
``header``, ``doctype``, ``signer``, ``recipients``, ``citations``.
Measured on the corpus by ``bench/metadata_accuracy.py`` against the hand
labels in ``tests/metadata_labels.json``.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field

from app.text.vietnamese import normalize_number_symbol

from .citations import Citation, citation_text, find_all, legal_numbers
from .dates import make_date
from .doctype import read_type, type_from_symbol
from .header import read_header
from .prep import Doc, folded, prepare, tidy
from .recipients import read_recipients
from .restore import restore_capitals
from .signer import read_signer

__all__ = ["Citation", "RecognizedMetadata", "find_citations", "recognize"]


@dataclass
class RecognizedMetadata:
    parent_body: str | None = None
    issuing_body: str | None = None
    number: str | None = None
    symbol: str | None = None
    number_blank: bool = False
    place: str | None = None
    issue_date: datetime.date | None = None
    issue_date_text: str | None = None
    doc_type: str | None = None
    summary: str | None = None
    signer_authority: str | None = None
    signer_authorities: list[str] = field(default_factory=list)
    signer_position: str | None = None
    signer_name: str | None = None
    recipients: list[str] = field(default_factory=list)
    secrecy: str | None = None
    urgency: str | None = None
    legal_numbers: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    @property
    def number_symbol(self) -> str | None:
        """``05/TB-UBND``, ``/TB-UBND`` when the number is blank, or None."""
        if not self.symbol:
            return None
        if re.match(r"^[A-ZĐ][A-Za-zĐđ]{0,4}/", self.symbol):     # Party: "123-KH/TU"
            return f"{self.number or ''}-{self.symbol}"
        return f"{self.number or ''}/{self.symbol}"

    def as_dict(self) -> dict:
        """Plain JSON-ready dict (dates as ISO strings)."""
        def plain(value):
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, list):
                return [plain(v) for v in value]
            if dataclasses.is_dataclass(value):
                return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return value
        return plain(self)


def recognize(text: str) -> RecognizedMetadata:
    """Everything NĐ 30 prescribes that the text shows (see the module doc)."""
    doc = prepare(text)
    header = read_header(doc)
    type_info = read_type(doc, header)
    signer = read_signer(doc)
    meta = RecognizedMetadata(
        parent_body=restore_capitals(header.parent_body),
        issuing_body=restore_capitals(header.issuing_body),
        number=header.number, symbol=header.symbol, number_blank=header.number_blank,
        place=header.place, issue_date=header.issue_date,
        issue_date_text=header.issue_date_text,
        doc_type=type_info.doc_type, summary=type_info.summary,
        signer_authority=signer.authorities[0] if signer.authorities else None,
        signer_authorities=list(signer.authorities),
        signer_position=restore_capitals(signer.position),
        signer_name=signer.name, recipients=read_recipients(doc, signer),
        secrecy=header.secrecy, urgency=header.urgency)
    if type_info.symbol and not meta.symbol:
        meta.number, meta.symbol = type_info.number, type_info.symbol
    if meta.doc_type is None and header.found:
        meta.doc_type = type_from_symbol(meta.symbol)
    # laws and the constitution print no place and date: "... thông qua ngày 28 tháng 11 năm 2013"
    if meta.doc_type in ("LUAT", "OTHER") and meta.issue_date is None \
            and meta.issue_date_text is None:
        meta.issue_date, meta.issue_date_text = _adoption_date(doc)
    body = citation_text(doc)
    own = normalize_number_symbol(meta.number_symbol) if meta.number else None
    meta.citations = [c for c in find_all(body) if c.key != own]
    meta.legal_numbers = legal_numbers(body)
    return meta


def find_citations(text: str) -> list[Citation]:
    """References to other documents in *text*. The ``Số:`` line of the text
    itself is skipped, but a later mention of the document's own number is not
    (``recognize`` removes it)."""
    return find_all(citation_text(prepare(text)))


_ADOPTED = re.compile(
    r"thong qua\s+(?:vao\s+)?ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")


def _adoption_date(doc: Doc) -> tuple[datetime.date | None, str | None]:
    tail = "\n".join(doc.lines[-80:])
    f = folded(tail)
    if not f:
        return None, None
    matches = list(_ADOPTED.finditer(f))
    if not matches:
        return None, None
    m = matches[-1]
    start = f.index("ngay", m.start())
    return make_date(m.group(1), m.group(2), m.group(3)), tidy(tail[start: m.end()])
