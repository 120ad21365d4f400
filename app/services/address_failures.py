"""Failed attempts per client address (logins, share-link passwords), counted in Redis.

A window of ``seconds`` starts again with every failure. Without Redis nothing is
counted and nothing is refused: the per-account and per-link locks still hold.
"""
from __future__ import annotations

from redis.exceptions import RedisError

from app.extensions import services


def count(kind: str, address: str) -> int:
    try:
        return int(services.redis.get(f"{kind}:{address}") or 0)
    except RedisError:
        return 0


def add(kind: str, address: str, seconds: int) -> None:
    try:
        pipe = services.redis.pipeline()
        pipe.incr(f"{kind}:{address}")
        pipe.expire(f"{kind}:{address}", seconds)
        pipe.execute()
    except RedisError:
        pass
