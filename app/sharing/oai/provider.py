"""The six OAI-PMH verbs on pyoai's server (``oaipmh.server``).

pyoai parses the request, checks verbs, arguments and dates, and writes the
XML envelope, headers and errors. This module answers the verbs from
``records``/``sets`` and adds what pyoai 2.5 leaves out: repeated arguments,
``from`` after ``until``, signed keyset resumption tokens with ``cursor``,
``completeListSize`` and ``expirationDate``, set descriptions, and the
request's own ``from``/``until`` echoed as sent (the XML side is in ``writer``),
and error texts in the harvester's language (``errors``).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from lxml import etree
from werkzeug.datastructures import MultiDict

with warnings.catch_warnings():
    # pyoai 2.5.0's server imports ``cgi`` (deprecated; removed in Python 3.13).
    warnings.simplefilter("ignore", DeprecationWarning)
    from oaipmh import common, error
    from oaipmh.datestamp import datestamp_to_datetime
    from oaipmh.metadata import MetadataRegistry

from app.models.user import utcnow
from app.sharing.oai import crosswalk, records, sets, tokens
from app.sharing.oai.errors import oai_error
from app.sharing.oai.writer import Page, Server
from app.sharing.oai.crosswalk import NS_ND30, NS_OAI_DC, OAI_DC_SCHEMA, Context, Labels
from app.sharing.visibility import Principal

VERBS = {"Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers",
         "ListRecords"}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
NS_OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"


@dataclass(frozen=True)
class Harvester:
    principal: Principal
    partner_id: int | None = None  # the PartnerToken a partner harvests with


def respond(args: MultiDict, harvester: Harvester, base_url: str,
            language: str = "vi") -> bytes:
    """The XML answer to one OAI-PMH request (errors included, as the protocol says).

    ``language``: of the errors' texts (``app.sharing.oai.errors``); the
    metadata and set names are always the archive's Vietnamese.
    """
    raw, repeated = {}, None
    for key, values in args.lists():
        raw[key] = values[0]
        if len(values) > 1:
            repeated = oai_error(error.BadVerbError if key == "verb" else error.BadArgumentError,
                                 _l("The argument %(name)s is repeated."), name=key)
    with force_locale("vi"):  # labels, set names: the archive's language
        ctx = Context(harvester.principal,
                      lambda doc_id, sha: f"{base_url}/files/{doc_id}/{sha}",
                      f"{base_url}/schemas/nd30.xsd", Labels.current())
        registry = MetadataRegistry()
        registry.registerWriter("oai_dc", lambda el, rec: crosswalk.write_oai_dc(el, rec, ctx))
        registry.registerWriter("nd30", lambda el, rec: crosswalk.write_nd30(el, rec, ctx))
        server = Server(Repository(harvester, base_url, raw, ctx), registry, raw, language)
        if repeated is None and "verb" in raw and raw["verb"] not in VERBS:
            repeated = oai_error(error.BadVerbError,  # pyoai knows more verbs (GetMetadata)
                                 _l("“%(verb)s” is not an OAI-PMH verb."), verb=raw["verb"])
        if repeated is not None:
            return server.handleException(raw, (type(repeated), repeated, None))
        return server.handleRequest(dict(raw))


class Repository(common.ResumptionOAIPMH):
    """Answers the verbs for one request; pyoai calls ``handleVerb``."""

    def __init__(self, harvester: Harvester, base_url: str, raw: dict, ctx: Context):
        self.harvester, self.base_url, self.raw, self.ctx = harvester, base_url, raw, ctx

    @property
    def formats(self) -> dict[str, tuple[str, str]]:
        return {"oai_dc": (OAI_DC_SCHEMA, NS_OAI_DC), "nd30": (self.ctx.nd30_schema, NS_ND30)}

    def handleVerb(self, verb, kw):  # noqa: N802 - pyoai's name
        return {"Identify": self._identify, "ListMetadataFormats": self._formats,
                "ListSets": self._sets, "GetRecord": self._get_record,
                "ListIdentifiers": lambda **a: self._list("ListIdentifiers", a),
                "ListRecords": lambda **a: self._list("ListRecords", a)}[verb](**kw)

    def _identify(self):
        config = current_app.config
        identify = _Identify(lambda: records.earliest(self.harvester.principal),
                             config["OAI_REPOSITORY_NAME"], self.base_url, "2.0",
                             [e.strip() for e in config["OAI_ADMIN_EMAILS"].split(",")
                              if e.strip()],
                             None, "persistent", GRANULARITY, ["identity"],
                             toolkit_description=False)
        identify.add_description(_oai_identifier(config["OAI_REPOSITORY_ID"]))
        return identify

    def _formats(self, identifier: str | None = None):
        if identifier is not None and records.find(self.harvester.principal, identifier) is None:
            raise _no_such_record(identifier)
        return [(prefix, schema, ns) for prefix, (schema, ns) in self.formats.items()]

    def _sets(self, resumptionToken: str | None = None) -> Page:  # noqa: N803 - OAI's name
        """Sets in pages of ``OAI_SETS_PAGE_SIZE``, resumed after the last setSpec sent."""
        harvester, after, cursor, total = self.harvester, None, 0, None
        if resumptionToken is not None:
            state = self._resume(resumptionToken, "ListSets")
            after, cursor, total = state.after, state.cursor, state.total
        everything = sets.list_sets(harvester.principal)
        rest = everything if after is None else [
            s for s in everything if sets.order_key(s.spec) > sets.order_key(after)]
        size = current_app.config["OAI_SETS_PAGE_SIZE"]
        items = rest[:size]
        if not items:  # the sets left after the token's were emptied meanwhile
            raise oai_error(error.BadResumptionTokenError,
                            _l("The list of sets has changed; list the sets again."))
        sent, token, expires = cursor + len(items), None, None
        if len(rest) > size:
            token, expires = tokens.issue(tokens.Resumption(
                "ListSets", {}, harvester.principal.value, harvester.partner_id,
                items[-1].spec, sent, max(total or len(everything), sent + 1)))
        else:
            total = sent  # the end: the exact size
        return Page(items, None, token, expires, cursor, max(total or len(everything), sent),
                    resumed=after is not None)

    def _resume(self, token: str, verb: str) -> tokens.Resumption:
        try:
            return tokens.read(token, verb, self.harvester.principal.value,
                               self.harvester.partner_id)
        except tokens.InvalidToken:
            raise oai_error(error.BadResumptionTokenError, _l(
                "The resumption token is invalid or has expired; start the list again.")
            ) from None

    def _get_record(self, identifier: str, metadataPrefix: str):  # noqa: N803
        self._check_format(metadataPrefix)
        record = records.find(self.harvester.principal, identifier)
        if record is None:
            raise _no_such_record(identifier)
        return _header(record), record, None

    def _list(self, verb: str, kw: dict) -> Page:
        harvester = self.harvester
        if "resumptionToken" in kw:
            state = self._resume(kw["resumptionToken"], verb)
            args, after, cursor, total = state.args, state.after, state.cursor, state.total
        else:
            args = {k: self.raw[k] for k in ("metadataPrefix", "set", "from", "until")
                    if k in self.raw}
            after, cursor, total = None, 0, None
        self._check_format(args["metadataPrefix"])
        selection = self._selection(args)
        if total is None:
            total = records.count(selection)
        size = current_app.config["OAI_PAGE_SIZE" if verb == "ListRecords"
                                  else "OAI_IDENTIFIERS_PAGE_SIZE"]
        found = records.page(selection, after, size)
        items = found[:size]
        if not items:
            raise oai_error(error.NoRecordsMatchError, _l("No records match this request."))
        token = expires = None
        sent = cursor + len(items)
        if len(found) > size:
            token, expires = tokens.issue(tokens.Resumption(
                verb, args, harvester.principal.value, harvester.partner_id,
                items[-1].position, sent, max(total, sent + 1)))
        else:
            total = sent  # the end: the exact size
        entries = [_header(r) if verb == "ListIdentifiers" else (_header(r), r, None)
                   for r in items]
        return Page(entries, args["metadataPrefix"], token, expires, cursor, max(total, sent),
                    resumed=after is not None)

    def _check_format(self, prefix: str) -> None:
        if prefix not in self.formats:
            raise oai_error(error.CannotDisseminateFormatError, _l(
                "The metadata format “%(prefix)s” is not offered; see ListMetadataFormats."),
                prefix=prefix)

    def _selection(self, args: dict) -> records.Selection:
        try:
            set_filter = sets.parse(args.get("set"))
        except sets.MalformedSet:
            raise oai_error(error.BadArgumentError, _l("“%(set)s” is not a setSpec."),
                            set=args["set"]) from None
        if set_filter is None:
            raise oai_error(error.NoRecordsMatchError, _l("There is no set “%(set)s”."),
                            set=args["set"])
        since = datestamp_to_datetime(args["from"]) if "from" in args else None
        until = (datestamp_to_datetime(args["until"], inclusive=True) if "until" in args
                 else None)
        if since and until and since > until:
            raise oai_error(error.BadArgumentError, _l("from is later than until."))
        # Datestamps are shown to the second: until includes its whole second.
        before = until + timedelta(seconds=1) if until else None
        return records.Selection(self.harvester.principal, set_filter, since, before)


class _Identify(common.Identify):
    """earliestDatestamp is read only when Identify is answered (pyoai builds an
    Identify for every response, for the base URL)."""

    def __init__(self, earliest, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._earliest = earliest

    def earliestDatestamp(self):  # noqa: N802 - pyoai's name
        return self._earliest() or utcnow().replace(microsecond=0)


def _no_such_record(identifier: str) -> error.ErrorBase:
    return oai_error(error.IdDoesNotExistError, _l("No record with the identifier %(id)s."),
                     id=identifier)


def _header(record: records.Record) -> common.Header:
    return common.Header(None, records.identifier(record.kind, record.id), record.datestamp,
                         record.set_specs, record.deleted)


def _oai_identifier(repository_id: str) -> str:
    root = etree.Element(f"{{{NS_OAI_ID}}}oai-identifier",
                         nsmap={None: NS_OAI_ID, "xsi": crosswalk.NS_XSI})
    root.set(crosswalk.SCHEMA_LOCATION, f"{NS_OAI_ID} {NS_OAI_ID}.xsd")
    for name, text in (("scheme", "oai"), ("repositoryIdentifier", repository_id),
                       ("delimiter", ":"), ("sampleIdentifier",
                                            f"oai:{repository_id}:{records.DOC}/1")):
        etree.SubElement(root, f"{{{NS_OAI_ID}}}{name}").text = text
    return etree.tostring(root, encoding="unicode")
