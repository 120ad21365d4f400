"""Resumption tokens: stateless, signed with SECRET_KEY, bound to the principal.

A token carries the request's arguments, who asked (public, or which partner
token), the position reached (the last record's datestamp, kind and id: a
keyset, so records added meanwhile neither shift nor repeat the list; for
ListSets the last setSpec sent, in ``sets.order_key`` order), how many
records were sent and the list's size. It survives a restart of the server and
expires after ``OAI_TOKEN_TTL`` seconds. A token that was altered, has expired,
or comes from another principal or verb is refused (badResumptionToken).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from app.models.user import utcnow

SALT = "oai-pmh-resumption-v1"


@dataclass(frozen=True)
class Position:
    """Where the next page starts: after this record in harvest order."""

    datestamp: datetime
    kind: str
    id: int


@dataclass(frozen=True)
class Resumption:
    verb: str
    args: dict  # metadataPrefix, set, from, until as the harvester sent them
    principal: str
    partner_id: int | None
    after: Position | str  # the last record sent, or for ListSets the last setSpec
    cursor: int  # records (or sets) sent before the next page
    total: int   # completeListSize as counted on the first page


class InvalidToken(Exception):
    """The token cannot be used: altered, expired, or not this harvester's."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def ttl() -> int:
    return current_app.config["OAI_TOKEN_TTL"]


def issue(state: Resumption) -> tuple[str, datetime]:
    """The token text and when it expires (UTC, to the second)."""
    payload = {"v": state.verb, "a": state.args, "p": state.principal, "t": state.partner_id,
               "c": state.cursor, "n": state.total}
    if isinstance(state.after, Position):
        payload["k"] = [state.after.datestamp.isoformat(), state.after.kind, state.after.id]
    else:
        payload["s"] = state.after
    expires = utcnow().replace(microsecond=0) + timedelta(seconds=ttl())
    return _serializer().dumps(payload), expires


def read(token: str, verb: str, principal: str, partner_id: int | None) -> Resumption:
    try:
        payload = _serializer().loads(token, max_age=ttl())
        if "s" in payload:
            after = str(payload["s"])
        else:
            stamp, kind, record_id = payload["k"]
            after = Position(datetime.fromisoformat(stamp), str(kind), int(record_id))
        state = Resumption(verb=payload["v"], args=dict(payload["a"]), principal=payload["p"],
                           partner_id=payload["t"], after=after,
                           cursor=int(payload["c"]), total=int(payload["n"]))
    except (BadData, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc
    if (state.verb, state.principal, state.partner_id) != (verb, principal, partner_id):
        raise InvalidToken("token issued for another request or harvester")
    if isinstance(state.after, str) != (verb == "ListSets"):
        raise InvalidToken("token of another kind of list")
    return state
