"""The metadata a person enters for a document, shared by the form and the API."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from flask_babel import gettext as _

from app.domain.dates import EARLIEST, LATEST, in_range
from app.domain.vocab import (
    CATEGORIES, DOCUMENT_TYPES, FUNDING_SOURCES, PRODUCT_KINDS, SECRECY_LEVELS, URGENCY_LEVELS,
)
from app.services.errors import ValidationFailed
from app.text.vietnamese import normalize, normalize_number_symbol

# What the columns hold (page_count is a 32-bit integer) and what is plausible:
# no paper record has a million pages; no communication product costs 10^15 VND.
MAX_PAGES = 1_000_000
MAX_COST = 10**15
_NUMBER = re.compile(r"^\s*(\d+[a-zA-Z]?)\s*/\s*(.+)$")


@dataclass
class DocumentMetadata:
    title: str | None = None
    category: str = "other"
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuing_agency: str | None = None
    place: str | None = None
    issue_date: date | None = None
    summary: str | None = None
    signer_name: str | None = None
    signer_position: str | None = None
    recipients: str | None = None
    secrecy: str = "thuong"
    urgency: str = "thuong"
    language: str = "vi"
    page_count: int | None = None
    notes: str | None = None
    # Communication products: who paid decides the retention schedule.
    funding_source: str | None = None
    product_kind: str | None = None
    product_cost: int | None = None
    approving_decision: str | None = None

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def cleaned(self) -> DocumentMetadata:
        """Validate vocabularies, NFC-normalise text, split ``1079/QĐ-TTg`` typed as the number."""
        errors = {}
        if self.category not in CATEGORIES:
            errors["category"] = _("Unknown category.")
        if self.doc_type and self.doc_type not in DOCUMENT_TYPES:
            errors["doc_type"] = _("Unknown document type.")
        if self.secrecy not in SECRECY_LEVELS:
            errors["secrecy"] = _("Unknown secrecy level.")
        if self.urgency not in URGENCY_LEVELS:
            errors["urgency"] = _("Unknown urgency level.")
        if self.page_count is not None and not 0 <= self.page_count <= MAX_PAGES:
            errors["page_count"] = _("Must be a whole number from 0 to %(max)s.",
                                     max=f"{MAX_PAGES:,}".replace(",", "."))
        if self.funding_source and self.funding_source not in FUNDING_SOURCES:
            errors["funding_source"] = _("Not a known value.")
        if self.product_kind and self.product_kind not in PRODUCT_KINDS:
            errors["product_kind"] = _("Not a known value.")
        if self.product_cost is not None and not 0 <= self.product_cost <= MAX_COST:
            errors["product_cost"] = _("Must be a whole number from 0 to %(max)s.",
                                       max=f"{MAX_COST:,}".replace(",", "."))
        if self.issue_date is not None and not in_range(self.issue_date):
            errors["issue_date"] = _("The year must be between %(first)d and %(last)d.",
                                     first=EARLIEST.year, last=LATEST.year)
        if errors:
            raise ValidationFailed(_("Some fields are invalid."), fields=errors)
        values = {}
        for name in self.field_names():
            value = getattr(self, name)
            if isinstance(value, str):
                value = normalize(value).strip() or None
            values[name] = value
        result = DocumentMetadata(**values)
        result.category = result.category or "other"
        result.secrecy = result.secrecy or "thuong"
        result.urgency = result.urgency or "thuong"
        result.language = result.language or "vi"
        if result.number and not result.symbol:
            match = _NUMBER.match(result.number)
            if match:
                result.number, result.symbol = match.group(1), match.group(2)
        return result

    def number_key(self) -> str | None:
        if not (self.number or self.symbol):
            return None
        joined = f"{self.number}/{self.symbol}" if self.number and self.symbol else (
            self.symbol or self.number
        )
        return normalize_number_symbol(joined)
