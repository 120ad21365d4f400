"""Bulk operations: start one (202 with its id and URL) and follow its progress."""
from flask import jsonify, request, url_for
from flask_login import current_user

from app.api import bp
from app.api.spec import operation
from app.services import bulk
from app.services.bulk_export import result_available
from schemas.bulk import BulkAnswerOut, BulkIn, BulkOut


@bp.post("/documents/bulk")
@operation("Change or export many documents at once (a background job past 50)",
           tag="Documents", ok=BulkAnswerOut, status=202, body=BulkIn, errors=(409,))
def start_bulk():
    schema = BulkIn()
    operation = bulk.start(current_user, schema.to_request(schema.load(request.get_json(
        silent=True) or {})))
    body = _out(operation)
    return jsonify(body), 202, {"Location": body["url"]}


@bp.get("/bulk/<int:operation_id>")
@operation("A bulk operation's progress and counts (its author only)", tag="Documents",
           ok=BulkAnswerOut)
def get_bulk(operation_id: int):
    return jsonify(_out(bulk.get_operation(current_user, operation_id)))


def _out(operation) -> dict:
    body = BulkOut().dump(operation)
    body["url"] = url_for("api.get_bulk", operation_id=operation.id)
    body["page_url"] = url_for("bulk.status", operation_id=operation.id)
    body["download_url"] = (url_for("bulk.download", operation_id=operation.id)
                            if result_available(operation) else None)
    return body
