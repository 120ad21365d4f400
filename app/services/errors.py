"""Domain errors, mapped to flash messages or the JSON error envelope in one place each."""


class ServiceError(Exception):
    """Base class; ``code`` is stable, ``message`` is shown to the user."""

    code = "error"
    http_status = 400

    def __init__(self, message: str = "", **details) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationFailed(ServiceError):
    code = "validation_failed"
    http_status = 422


class PermissionDenied(ServiceError):
    code = "forbidden"
    http_status = 403


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404


class FileTooLarge(ServiceError):
    code = "file_too_large"
    http_status = 413


class DuplicateFile(ServiceError):
    code = "duplicate"
    http_status = 409


class SearchUnavailable(ServiceError):
    code = "search_unavailable"
    http_status = 503


class Conflict(ServiceError):
    """The record is not in a state that allows this (e.g. already proposed)."""

    code = "conflict"
    http_status = 409


class ReadOnlyRecord(Conflict):
    """Harvested from another archive: changed only there, read-only here."""

    code = "read_only"


class RecordHeld(Conflict):
    """A legal hold covers the record: no one may destroy, transfer or delete it."""

    code = "legal_hold"


class AmbiguousReference(Conflict):
    """A number/symbol carried by several documents: the caller must choose one.

    ``details["candidates"]`` lists them for the API; ``documents`` holds them for pages.
    """

    code = "ambiguous_reference"

    def __init__(self, message: str = "", documents=(), **details) -> None:
        self.documents = list(documents)
        super().__init__(message, candidates=[{
            "id": d.id, "title": d.title, "number_symbol": d.number_symbol,
            "issue_date": d.issue_date.isoformat() if d.issue_date else None,
            "issuing_agency": d.issuing_agency} for d in self.documents], **details)
