"""The texts of OAI-PMH ``<error>`` elements, in the harvester's language.

The codes stay exactly as the protocol names them (``badVerb``, ``badArgument``,
``badResumptionToken``, ``cannotDisseminateFormat``, ``idDoesNotExist``,
``noRecordsMatch``...): programs read those. The text is for the person behind
the harvester: a sentence in Vietnamese, or in English when the request's
``Accept-Language`` prefers English. Errors this package raises carry their
sentence (``oai_error``); those pyoai raises itself, in English, are recognised
by their wording and said again with the same detail; anything else gets the
code's general sentence.
"""
from __future__ import annotations

import re
import warnings

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # pyoai imports ``cgi``
    from oaipmh import error

LANGUAGES = ("vi", "en")  # the first is the default

# pyoai's own texts (oaipmh.server, oaipmh.validation) -> ours, keeping their detail.
PYOAI_TEXTS = [
    (re.compile(r"Illegal verb: (?P<verb>.*)", re.S),
     _l("“%(verb)s” is not an OAI-PMH verb.")),
    (re.compile(r"Required verb argument not found\."), _l("The request has no verb.")),
    (re.compile(r"Non-ascii keys in request\."),
     _l("The request has arguments whose names are not plain ASCII.")),
    (re.compile(r"The value '(?P<value>.*)' of the argument '(?P<name>\w+)' is not valid\.",
                re.S),
     _l("“%(value)s” is not a valid date for the argument %(name)s (YYYY-MM-DD or "
        "YYYY-MM-DDThh:mm:ssZ).")),
    (re.compile(r"The request has different granularities for the from and until"),
     _l("The arguments from and until must have the same granularity (both days or both "
        "seconds).")),
    (re.compile(r"Unknown argument: (?P<name>\w+)"),
     _l("The argument %(name)s is not allowed with this verb.")),
    (re.compile(r"Exclusive argument (?P<name>\w+) is used but other arguments found\."),
     _l("The argument %(name)s must be the only one besides the verb.")),
    (re.compile(r"Argument required but not found: (?P<name>\w+)"),
     _l("The argument %(name)s is required with this verb.")),
]

GENERAL = {
    "badVerb": _l("The verb is missing, repeated or not an OAI-PMH verb."),
    "badArgument": _l("The request has an argument that is not allowed, is missing, is "
                      "repeated or has a wrong value."),
    "badResumptionToken": _l("The resumption token is invalid or has expired; start the "
                             "list again."),
    "cannotDisseminateFormat": _l("This metadata format is not offered; see "
                                  "ListMetadataFormats."),
    "idDoesNotExist": _l("No record with this identifier."),
    "noRecordsMatch": _l("No records match this request."),
    "noMetadataFormats": _l("No metadata formats are offered for this record."),
    "noSetHierarchy": _l("This repository does not support sets."),
}


def oai_error(kind: type[error.ErrorBase], message, **detail) -> error.ErrorBase:
    """An OAI-PMH error of ``kind`` whose text is ``message`` (an ``_l`` msgid) with ``detail``.

    The English text is kept as the exception's own, for logs and tests.
    """
    exc = kind(str(_english(message, detail)))
    exc.oai_text = (message, detail)
    return exc


def text(exc: error.ErrorBase, language: str) -> str:
    """The sentence for ``exc`` in ``language`` (one of LANGUAGES)."""
    with force_locale(language):
        said = getattr(exc, "oai_text", None)
        if said is not None:
            return _say(*said)
        raw = str(exc)
        for pattern, message in PYOAI_TEXTS:
            match = pattern.match(raw)
            if match:
                detail = {k: ("from" if v == "from_" else v)
                          for k, v in match.groupdict().items()}
                return _say(message, detail)
        return str(GENERAL.get(exc.oainame(), GENERAL["badArgument"]))


def language(accept_languages) -> str:
    """Vietnamese unless ``Accept-Language`` prefers English (werkzeug's LanguageAccept)."""
    return accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def _say(message, detail: dict) -> str:
    return str(message) % detail if detail else str(message)


def _english(message, detail: dict) -> str:
    with force_locale("en"):
        return _say(message, detail)
