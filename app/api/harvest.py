"""Harvest sources (administrators): list, one with its runs, start a run, follow it."""
from flask import jsonify, url_for
from flask_login import current_user

from app.api import bp
from app.api.spec import operation
from app.sharing.harvest import sources
from schemas.harvest import (HarvestRunOut, HarvestSourceDetailOut, HarvestSourceListOut,
                             HarvestSourceOut)


@bp.get("/harvest/sources")
@operation("Harvest sources (administrators)", tag="Harvesting", ok=HarvestSourceListOut)
def list_harvest_sources():
    rows = sources.list_sources(current_user)
    return jsonify(HarvestSourceListOut().dump({"sources": [r.source for r in rows]}))


@bp.get("/harvest/sources/<int:source_id>")
@operation("A harvest source with its recent runs", tag="Harvesting",
           ok=HarvestSourceDetailOut)
def get_harvest_source(source_id: int):
    source = sources.get_source(current_user, source_id)
    body = HarvestSourceOut().dump(source)
    body["records"] = sources.source_records(source.id)
    body["runs"] = HarvestRunOut(many=True).dump(sources.recent_runs(current_user, source.id))
    return jsonify(body)


@bp.post("/harvest/sources/<int:source_id>/runs")
@operation("Harvest a source now (a background job)", tag="Harvesting", ok=HarvestRunOut,
           status=202, errors=(409,))
def start_harvest_run(source_id: int):
    run = sources.start_harvest(current_user, source_id)
    url = url_for("api.get_harvest_run", run_id=run.id)
    return jsonify(HarvestRunOut().dump(run)), 202, {"Location": url}


@bp.get("/harvest/runs/<int:run_id>")
@operation("A harvest run's progress, counts and problems", tag="Harvesting",
           ok=HarvestRunOut)
def get_harvest_run(run_id: int):
    return jsonify(HarvestRunOut().dump(sources.get_run(current_user, run_id)))
