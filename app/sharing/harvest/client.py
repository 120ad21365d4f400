"""The OAI-PMH client: sickle, with the partner's bearer token and a timeout.

Every request carries ``Authorization: Bearer <token>`` when the source has
one. File links are fetched with the token only when they point at the
provider's own address (scheme, host and port of the base URL): a link to
another host never receives the token.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests
from lxml import etree
from sickle import Sickle
from sickle.app import DEFAULT_CLASS_MAP
from sickle.oaiexceptions import NoRecordsMatch

OAI = "{http://www.openarchives.org/OAI/2.0/}"
USER_AGENT = "vn-archive-harvester/1.0"
# The record elements themselves: the mapping reads them (sickle's dict form
# would lose attributes such as a file's URL and SHA-256).
_RAW = {**DEFAULT_CLASS_MAP, "ListRecords": lambda element: element}


class HarvestError(Exception):
    """A failure of the whole run; ``code`` selects the sentence shown (messages.py)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Identity:
    name: str
    response_date: datetime  # the provider's clock (naive UTC)
    granularity: str


def parse_utc(text: str | None) -> datetime | None:
    """``2026-12-02T10:00:00Z`` or ``2026-12-02`` -> naive UTC."""
    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def format_from(value: datetime, granularity: str) -> str:
    if granularity == "YYYY-MM-DD":
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class OaiClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30,
                 retries: int = 2) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self._auth = {"Authorization": f"Bearer {token}"} if token else {}
        headers = {"User-Agent": USER_AGENT, **self._auth}
        # 503 with Retry-After (a busy provider) is retried; anything else fails the call.
        self._sickle = Sickle(base_url, max_retries=retries, retry_status_codes=[503],
                              default_retry_after=5, class_mapping=_RAW,
                              headers=headers, timeout=timeout)
        self._files = requests.Session()
        self._files.headers["User-Agent"] = USER_AGENT

    def identify(self) -> Identity:
        response = self._call(lambda: self._sickle.harvest(verb="Identify"))
        xml = response.xml
        error = xml.find(f".//{OAI}error")
        if error is not None:
            raise HarvestError("oai_error", code=error.get("code", ""), text=error.text or "")
        date = parse_utc(xml.findtext(f"{OAI}responseDate"))
        if xml.find(f".//{OAI}Identify") is None or date is None:
            raise HarvestError("not_oai", url=self.base_url)
        return Identity(name=(xml.findtext(f".//{OAI}repositoryName") or "").strip(),
                        response_date=date,
                        granularity=(xml.findtext(f".//{OAI}granularity") or "").strip())

    def records(self, prefix: str, set_spec: str | None = None,
                since: str | None = None) -> RecordStream:
        params = {"metadataPrefix": prefix}
        if set_spec:
            params["set"] = set_spec
        if since:
            params["from"] = since
        return RecordStream(self, params)

    def _call(self, fn, attempts: int = 3):
        """``fn`` (one OAI-PMH request); a dropped connection is tried again after a pause
        (sickle keeps its place in the list: the same page is asked for again)."""
        for attempt in range(1, attempts + 1):
            try:
                return self._call_once(fn)
            except HarvestError as exc:
                if exc.code not in ("unreachable", "timeout") or attempt == attempts:
                    raise
                time.sleep(2 * attempt)
        raise AssertionError("unreachable")

    def _call_once(self, fn):
        try:
            return fn()
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status in (401, 403):
                raise HarvestError("unauthorized", status=status) from exc
            raise HarvestError("http_status", status=status) from exc
        except requests.Timeout as exc:
            raise HarvestError("timeout", seconds=int(self.timeout)) from exc
        except requests.RequestException as exc:
            raise HarvestError("unreachable", url=self.base_url) from exc
        except etree.XMLSyntaxError as exc:
            raise HarvestError("not_oai", url=self.base_url) from exc

    def download(self, url: str, sink, max_bytes: int, attempts: int = 3):
        """Stream ``url`` into ``sink(stream, max_bytes)``; returns what ``sink`` returns.

        A busy provider (connection refused or reset, 502-504) is asked again after a
        short pause; then HarvestError("file_*").
        """
        for attempt in range(1, attempts + 1):
            try:
                return self._download_once(url, sink, max_bytes)
            except HarvestError as exc:
                busy = exc.code == "file_unreachable" or (
                    exc.code == "file_status" and exc.params.get("status") in (502, 503, 504))
                if not busy or attempt == attempts:
                    raise
                time.sleep(attempt)
        raise AssertionError("unreachable")

    def _download_once(self, url: str, sink, max_bytes: int):
        headers = self._auth if _same_origin(url, self.base_url) else {}
        try:
            with self._files.get(url, headers=headers, stream=True,
                                 timeout=self.timeout) as response:
                if response.status_code != 200:
                    raise HarvestError("file_status", status=response.status_code)
                response.raw.decode_content = True
                return sink(response.raw, max_bytes)
        except requests.Timeout as exc:
            raise HarvestError("file_timeout", seconds=int(self.timeout)) from exc
        except requests.RequestException as exc:
            raise HarvestError("file_unreachable") from exc

    def close(self) -> None:
        self._files.close()


class RecordStream:
    """The records of a ListRecords, page after page (resumption tokens followed by sickle)."""

    def __init__(self, client: OaiClient, params: dict) -> None:
        self._client, self._params = client, params
        self._iterator = None
        self.empty = False

    def _open(self):
        try:
            self._iterator = self._client._call(lambda: self._client._sickle.ListRecords(
                **self._params))
        except NoRecordsMatch:
            self.empty = True

    @property
    def complete_list_size(self) -> int | None:
        token = getattr(self._iterator, "resumption_token", None)
        size = getattr(token, "complete_list_size", None)
        return int(size) if size and str(size).isdigit() else None

    def __iter__(self) -> Iterator[etree._Element]:
        from sickle import oaiexceptions

        if self._iterator is None and not self.empty:
            try:
                self._open()
            except oaiexceptions.OAIError as exc:
                raise _oai_error(exc) from exc
        if self.empty:
            return
        while True:
            try:
                element = self._client._call(lambda: next(self._iterator))
            except StopIteration:
                return
            except oaiexceptions.OAIError as exc:
                raise _oai_error(exc) from exc
            yield element


def _oai_error(exc) -> HarvestError:
    return HarvestError("oai_error", code=type(exc).__name__[:1].lower() + type(exc).__name__[1:],
                        text=str(exc)[:300])


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)
