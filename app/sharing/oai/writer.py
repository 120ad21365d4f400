"""pyoai's XML writer (``oaipmh.server``), adapted to what the provider needs.

Errors carry their text in the harvester's language (``errors``); lists write
OAI-PMH resumption tokens with ``cursor``, ``completeListSize`` and
``expirationDate`` from a ``Page``; ListSets is resumed too and keeps each
set's description (pyoai drops it); ``from``/``until`` are echoed as sent.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from lxml import etree

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # pyoai imports ``cgi``
    from oaipmh import error
    from oaipmh import server as oai_server
    from oaipmh.datestamp import datetime_to_datestamp

from app.sharing.oai import crosswalk, errors

nsoai = oai_server.nsoai


@dataclass
class Page:
    """One page of a list: its items and the token to the next (None on the last page)."""

    items: list
    prefix: str | None  # metadataPrefix; None for ListSets
    token: str | None
    expires: datetime | None
    cursor: int
    total: int
    resumed: bool


class TreeServer(oai_server.XMLTreeServer):
    def __init__(self, repository, registry, raw: dict, language: str):
        super().__init__(repository, registry)
        self._raw, self._language = raw, language

    def handleException(self, exception):  # noqa: N802 - pyoai's name
        """The protocol's error code, with its text in the harvester's language."""
        if isinstance(exception, error.ErrorBase):
            return self._outputErrors([(exception.oainame(),
                                        errors.text(exception, self._language))])
        raise exception

    def _outputBasicEnvelope(self, **kw):  # noqa: N802 - pyoai's name
        tree, root = super()._outputBasicEnvelope(**kw)
        request = root.find(nsoai("request"))
        for key in ("from", "until"):  # pyoai writes them back as parsed; OAI wants them as sent
            if request.get(key) is not None:
                request.set(key, self._raw[key])
        return tree, root

    def _outputResuming(self, element, input_func, output_func, kw):  # noqa: N802
        page: Page = input_func(**kw)
        output_func(element, page.items, {"metadataPrefix": page.prefix})
        if page.token is None and not page.resumed:
            return  # the whole list fitted in one response
        token = etree.SubElement(element, nsoai("resumptionToken"))
        token.set("cursor", str(page.cursor))
        token.set("completeListSize", str(page.total))
        if page.token is not None:  # an empty token ends a resumed list
            token.text = page.token
            token.set("expirationDate", datetime_to_datestamp(page.expires))

    def listSets(self, **kw):  # noqa: N802 - pyoai's name; pyoai drops setDescription
        envelope, e_list = self._outputEnvelope(verb="ListSets", **kw)

        def output(element, infos, _token_kw):
            for info in infos:
                e_set = etree.SubElement(element, nsoai("set"))
                etree.SubElement(e_set, nsoai("setSpec")).text = info.spec
                etree.SubElement(e_set, nsoai("setName")).text = info.name
                description = etree.SubElement(e_set, nsoai("setDescription"))
                crosswalk.dc_element(description, [
                    ("description", _("Records: %(count)d", count=info.count)),
                    ("identifier", info.spec)])

        self._outputResuming(e_list, self._server.listSets, output, kw)
        return envelope


class Server(oai_server.ServerBase):
    def __init__(self, repository, registry, raw: dict, language: str):  # noqa: D107
        self._tree_server = TreeServer(repository, registry, raw, language)
