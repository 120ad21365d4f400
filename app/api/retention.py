"""Records management endpoints: schedule, due list, proposals, holds, dossiers."""
from flask import jsonify, request
from flask_login import current_user

from app.api import bp, error_response
from app.services import disposition, dossiers, holds, retention
from app.services.dossiers import DossierValues
from schemas.documents import DocumentRef
from schemas.retention import (
    DecisionIn, DossierIn, DossierOut, HoldIn, HoldOut, OverrideIn, ProposalIn, ProposalOut,
    ReasonIn, ScheduleOut,
)


@bp.get("/retention/schedules")
def list_schedules():
    return jsonify(schedules=ScheduleOut(many=True).dump(retention.list_schedules(current_user)))


@bp.get("/retention/due")
def due_for_review():
    return jsonify(documents=DocumentRef(many=True).dump(retention.due_for_review(current_user)))


@bp.post("/retention/proposals")
def propose():
    data = ProposalIn().load(request.get_json(silent=True) or {})
    proposal = disposition.propose(current_user, data["action"], data["document_ids"],
                                   data["reason"])
    return jsonify(ProposalOut().dump(proposal)), 201


@bp.get("/retention/proposals")
def list_proposals():
    return jsonify(proposals=ProposalOut(many=True).dump(
        disposition.list_proposals(current_user, request.args.get("status") or None)))


@bp.get("/retention/proposals/<int:proposal_id>")
def get_proposal(proposal_id: int):
    return jsonify(ProposalOut().dump(disposition.get_proposal(current_user, proposal_id)))


@bp.post("/retention/proposals/<int:proposal_id>/decision")
def decide(proposal_id: int):
    data = DecisionIn().load(request.get_json(silent=True) or {})
    proposal = disposition.decide(current_user, proposal_id, data["approve"],
                                  data["decision_ref"], data["note"])
    return jsonify(ProposalOut().dump(proposal))


@bp.get("/retention/holds")
def list_holds():
    include = request.args.get("all") == "1"
    return jsonify(holds=HoldOut(many=True).dump(holds.list_holds(current_user, include)))


@bp.post("/retention/holds")
def place_hold():
    data = HoldIn().load(request.get_json(silent=True) or {})
    hold = holds.place_hold(current_user, data["reason"], document_id=data["document_id"],
                            dossier_id=data["dossier_id"], query=data["query"])
    return jsonify(HoldOut().dump(hold)), 201


@bp.post("/retention/holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    data = ReasonIn().load(request.get_json(silent=True) or {})
    return jsonify(HoldOut().dump(holds.release_hold(current_user, hold_id, data["reason"])))


@bp.post("/documents/<int:document_id>/schedule")
def override_schedule(document_id: int):
    data = OverrideIn().load(request.get_json(silent=True) or {})
    document = retention.override_schedule(current_user, document_id, data["schedule_id"],
                                           data["reason"])
    return jsonify(id=document.id, schedule=document.schedule.code if document.schedule else None)


@bp.delete("/documents/<int:document_id>")
def delete_document(document_id: int):
    data = ReasonIn().load(request.get_json(silent=True) or {})
    document = disposition.delete_document(current_user, document_id, data["reason"])
    return jsonify(id=document.id, disposition=document.disposition)


@bp.get("/dossiers")
def list_dossiers():
    return jsonify(dossiers=[dict(DossierOut().dump(d), documents=n)
                             for d, n in dossiers.list_dossiers(current_user)])


@bp.post("/dossiers")
def create_dossier():
    data = DossierIn().load(request.get_json(silent=True) or {})
    dossier = dossiers.save_dossier(current_user, None, DossierValues(**data))
    return jsonify(DossierOut().dump(dossier)), 201


@bp.get("/dossiers/<int:dossier_id>")
def get_dossier(dossier_id: int):
    dossier, documents = dossiers.get_dossier(current_user, dossier_id)
    return jsonify(dict(DossierOut().dump(dossier),
                        documents=DocumentRef(many=True).dump(documents)))


@bp.post("/dossiers/<int:dossier_id>/documents")
def add_to_dossier(dossier_id: int):
    document_id = (request.get_json(silent=True) or {}).get("document_id")
    if not isinstance(document_id, int):
        return error_response("validation_failed", "Send document_id (an integer).", 422)
    dossiers.add_document(current_user, dossier_id, document_id)
    return jsonify(ok=True)
