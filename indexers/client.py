"""Index names, creation from versioned mapping files, alias swaps."""
from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError
from flask import current_app

from app.extensions import services

MAPPINGS_DIR = Path(__file__).parent / "mappings"
CURRENT_VERSION = 2  # v2: passages with meaning vectors (issue 18)


def es() -> Elasticsearch:
    return services.es


def alias(kind: str = "documents") -> str:
    return f"{current_app.config['ES_INDEX_PREFIX']}-{kind}"


@lru_cache
def mapping(version: int = CURRENT_VERSION, kind: str = "documents") -> dict:
    return json.loads((MAPPINGS_DIR / f"{kind}-v{version}.json").read_text(encoding="utf-8"))


def create_index(kind: str = "documents", version: int = CURRENT_VERSION) -> str:
    """Create a new concrete index (not yet behind the alias) and return its name."""
    name = f"{alias(kind)}-v{version}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6}"
    body = mapping(version, kind)
    settings = {**body["settings"], "number_of_replicas": replicas()}
    es().indices.create(index=name, settings=settings, mappings=body["mappings"])
    return name


def replicas() -> int:
    """Copies of each shard on other nodes (ES_REPLICAS): 0 on one node, 1+ in a cluster."""
    return int(current_app.config.get("ES_REPLICAS", 0))


def ensure_index(kind: str = "documents") -> str:
    """Make sure the alias points at an index; create the first one if needed."""
    name = alias(kind)
    if es().indices.exists_alias(name=name):
        # Additive changes to the current mapping version apply in place;
        # anything else needs a new version and `flask search reindex`.
        es().indices.put_mapping(index=name, properties=mapping(kind=kind)["mappings"]
                                 ["properties"])
        # The replica count is dynamic: `flask search init` applies a change of ES_REPLICAS.
        es().indices.put_settings(index=name, settings={"number_of_replicas": replicas()})
        return name
    index = create_index(kind)
    es().indices.put_alias(index=index, name=name)
    return name


def indices_behind(kind: str = "documents") -> list[str]:
    try:
        return sorted(es().indices.get_alias(name=alias(kind)).keys())
    except NotFoundError:
        return []


def swap_alias(new_index: str, kind: str = "documents", delete_old: bool = True) -> None:
    """Point the alias at ``new_index`` in one atomic step."""
    name = alias(kind)
    old = indices_behind(kind)
    actions = [{"remove": {"index": idx, "alias": name}} for idx in old]
    actions.append({"add": {"index": new_index, "alias": name}})
    es().indices.update_aliases(actions=actions)
    if delete_old:
        for idx in old:
            es().indices.delete(index=idx, ignore_unavailable=True)


def drop_all(kind: str = "documents") -> None:
    """Delete every index of this prefix and kind (tests and benchmarks only)."""
    # Wildcard deletes are refused by default (action.destructive_requires_name),
    # so resolve the names first.
    names = list(es().indices.get(index=f"{alias(kind)}-v*", allow_no_indices=True,
                                  expand_wildcards="all", ignore_unavailable=True))
    if names:
        es().indices.delete(index=",".join(names), ignore_unavailable=True)
