"""The replica count follows ES_REPLICAS, for new indices and the live one alike."""


def _replicas(index: str) -> str:
    from indexers.client import es
    settings = es().indices.get_settings(index=index)
    return next(iter(settings.values()))["settings"]["index"]["number_of_replicas"]


def test_replica_count_is_configurable(ctx):
    from flask import current_app

    from indexers.client import alias, create_index, ensure_index, es

    live = ensure_index()
    assert _replicas(live) == "0"
    current_app.config["ES_REPLICAS"] = 1
    try:
        ensure_index()  # what `flask search init` does: the live index takes the new count
        assert _replicas(alias()) == "1"
        fresh = create_index()
        assert _replicas(fresh) == "1"
        es().indices.delete(index=fresh)
    finally:
        current_app.config["ES_REPLICAS"] = 0
        ensure_index()
    assert _replicas(alias()) == "0"
