"""What went wrong in a harvest, as a sentence in the reader's language.

Runs store ``{"code", "params", "identifier"}`` (never a sentence, never a
stack trace), so the status page and the API speak the reader's language.
"""
from __future__ import annotations

import json

from flask_babel import gettext as _

MAX_ERRORS = 20  # kept per run; the counts say how many there were in all


def entry(code: str, identifier: str | None = None, **params) -> dict:
    return {"code": code, "identifier": identifier,
            "params": {k: str(v)[:300] for k, v in params.items()}}


def sentence(error: dict | str | None) -> str:
    if not error:
        return ""
    if isinstance(error, str):  # a source's last error: the entry as JSON (or a bare code)
        try:
            error = json.loads(error) if error.startswith("{") else {"code": error}
        except ValueError:
            error = {"code": error}
    code, params = error.get("code"), dict(error.get("params") or {})
    text = _sentence(code, params)
    if error.get("identifier"):
        return _("Record %(identifier)s: %(problem)s", identifier=error["identifier"],
                 problem=text)
    return text


def _sentence(code: str | None, p: dict) -> str:
    p.setdefault("url", "")
    p.setdefault("status", "")
    p.setdefault("seconds", "")
    p.setdefault("name", "")
    messages = {
        "unreachable": lambda: _("The source archive could not be reached at %(url)s. Check "
                                 "the address and the network.", url=p["url"]),
        "timeout": lambda: _("The source archive did not answer within %(s)s seconds.",
                             s=p["seconds"]),
        "unauthorized": lambda: _("The source archive refused the access token (HTTP "
                                  "%(status)s): it is wrong, expired or revoked.",
                                  status=p["status"]),
        "http_status": lambda: _("The source archive answered with HTTP error %(status)s.",
                                 status=p["status"]),
        "not_oai": lambda: _("The address %(url)s does not answer as an OAI-PMH "
                             "repository.", url=p["url"]),
        "oai_error": lambda: _oai_error(p),
        "file_status": lambda: _("its file could not be downloaded (HTTP %(status)s).",
                                 status=p["status"]),
        "file_timeout": lambda: _("its file did not arrive within %(s)s seconds.",
                                  s=p["seconds"]),
        "file_unreachable": lambda: _("its file could not be downloaded (connection "
                                      "failed)."),
        "file_checksum": lambda: _("the file %(name)s that arrived differs from the one "
                                   "announced (SHA-256); it was not kept.", name=p["name"]),
        "file_empty": lambda: _("the file %(name)s is empty; it was not kept.",
                                name=p["name"]),
        "file_too_large": lambda: _("its file is larger than this archive's upload limit."),
        "record_unreadable": lambda: _("it could not be read (no identifier or title, or "
                                       "not in the expected format)."),
        "record_invalid": lambda: _("its metadata was refused: %(fields)s.",
                                    fields=p.get("fields", "")),
        "record_failed": lambda: _("it could not be saved; an administrator can find the "
                                   "cause in the log."),
        "already_running": lambda: _("This source is already being harvested; this run did "
                                     "not start."),
        "queue_unavailable": lambda: _("The job queue is unavailable, so the harvest could not "
                                       "start. Try again later."),
        "abandoned": lambda: _("The run stopped before it finished (its process ended); the "
                               "next run starts again from the last successful harvest."),
        "internal": lambda: _("An unexpected error stopped the harvest; an administrator can "
                              "find the cause in the log."),
    }
    make = messages.get(code)
    return make() if make else _("Unknown problem (%(code)s).", code=code or "")


def _oai_error(p: dict) -> str:
    code = p.get("code", "")
    if code == "cannotDisseminateFormat":
        return _("The source archive does not offer this metadata format.")
    if code == "noSetHierarchy" or code == "badArgument" and "set" in p.get("text", ""):
        return _("The source archive does not know this set.")
    if code == "badResumptionToken":
        return _("The source archive no longer accepts the harvest's place in the list "
                 "(resumption token expired); the next run starts again.")
    return _("The source archive reported an OAI-PMH error (%(code)s): %(text)s",
             code=code, text=p.get("text", ""))


STATES = {
    "queued": lambda: _("waiting"),
    "running": lambda: _("running"),
    "done": lambda: _("done"),
    "failed": lambda: _("failed"),
}


def state_label(status: str | None, failed: int = 0) -> str:
    if status == "done" and failed:
        return _("done, with errors")
    make = STATES.get(status or "")
    return make() if make else _("never run")
