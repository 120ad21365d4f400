"""Records management endpoints: schedule, due list, proposals, holds, dossiers."""
from flask import jsonify, request
from flask_login import current_user

from app.api import bp
from app.api.spec import operation
from app.services import disposition, dossiers, holds, retention
from app.services.dossiers import DossierValues
from schemas.documents import DocumentRef
from schemas.retention import (
    DecisionIn, DeletedOut, DossierDetailOut, DossierDocumentIn, DossierIn, DossierListOut,
    DossierOut, DueListOut, HoldFiltersIn, HoldIn, HoldListOut, HoldOut, OkOut, OverrideIn,
    OverrideOut, ProposalFiltersIn, ProposalIn, ProposalListOut, ProposalOut, ReasonIn,
    ScheduleListOut,
)


@bp.get("/retention/schedules")
@operation("The retention schedule (file plan)", tag="Retention", ok=ScheduleListOut)
def list_schedules():
    return jsonify(ScheduleListOut().dump({"schedules": retention.list_schedules(current_user)}))


@bp.get("/retention/due")
@operation("Records due for review (archivists)", tag="Retention", ok=DueListOut)
def due_for_review():
    return jsonify(DueListOut().dump({"documents": retention.due_for_review(current_user)}))


@bp.post("/retention/proposals")
@operation("Propose destruction or transfer", tag="Retention", ok=ProposalOut, status=201,
           body=ProposalIn, errors=(404, 409))
def propose():
    data = ProposalIn().load(request.get_json(silent=True) or {})
    proposal = disposition.propose(current_user, data["action"], data["document_ids"],
                                   data["reason"])
    return jsonify(ProposalOut().dump(proposal)), 201


@bp.get("/retention/proposals")
@operation("Disposition proposals", tag="Retention", ok=ProposalListOut,
           query=ProposalFiltersIn)
def list_proposals():
    status = ProposalFiltersIn().load(request.args.to_dict())["status"]
    return jsonify(ProposalListOut().dump(
        {"proposals": disposition.list_proposals(current_user, status)}))


@bp.get("/retention/proposals/<int:proposal_id>")
@operation("A disposition proposal with its records", tag="Retention", ok=ProposalOut)
def get_proposal(proposal_id: int):
    return jsonify(ProposalOut().dump(disposition.get_proposal(current_user, proposal_id)))


@bp.post("/retention/proposals/<int:proposal_id>/decision")
@operation("Approve (and execute at once) or reject a proposal", tag="Retention",
           ok=ProposalOut, body=DecisionIn, errors=(409,))
def decide(proposal_id: int):
    data = DecisionIn().load(request.get_json(silent=True) or {})
    proposal = disposition.decide(current_user, proposal_id, data["approve"],
                                  data["decision_ref"], data["note"])
    return jsonify(ProposalOut().dump(proposal))


@bp.get("/retention/holds")
@operation("Legal holds", tag="Retention", ok=HoldListOut, query=HoldFiltersIn)
def list_holds():
    include = HoldFiltersIn().load(request.args.to_dict())["all"] == "1"
    return jsonify(HoldListOut().dump({"holds": holds.list_holds(current_user, include)}))


@bp.post("/retention/holds")
@operation("Place a legal hold on a document, a dossier or a saved search",
           tag="Retention", ok=HoldOut, status=201, body=HoldIn, errors=(404,))
def place_hold():
    data = HoldIn().load(request.get_json(silent=True) or {})
    hold = holds.place_hold(current_user, data["reason"], document_id=data["document_id"],
                            dossier_id=data["dossier_id"], query=data["query"])
    return jsonify(HoldOut().dump(hold)), 201


@bp.post("/retention/holds/<int:hold_id>/release")
@operation("Release a legal hold", tag="Retention", ok=HoldOut, body=ReasonIn)
def release_hold(hold_id: int):
    data = ReasonIn().load(request.get_json(silent=True) or {})
    return jsonify(HoldOut().dump(holds.release_hold(current_user, hold_id, data["reason"])))


@bp.post("/documents/<int:document_id>/schedule")
@operation("Assign a retention series by hand (null: back to the rules)", tag="Retention",
           ok=OverrideOut, body=OverrideIn)
def override_schedule(document_id: int):
    data = OverrideIn().load(request.get_json(silent=True) or {})
    document = retention.override_schedule(current_user, document_id, data["schedule_id"],
                                           data["reason"])
    return jsonify(OverrideOut().dump(
        {"id": document.id, "schedule": document.schedule.code if document.schedule else None}))


@bp.delete("/documents/<int:document_id>")
@operation("Delete a document (admins); refused under a legal hold", tag="Documents",
           ok=DeletedOut, body=ReasonIn, errors=(409,))
def delete_document(document_id: int):
    data = ReasonIn().load(request.get_json(silent=True) or {})
    document = disposition.delete_document(current_user, document_id, data["reason"])
    return jsonify(DeletedOut().dump(document))


@bp.get("/dossiers")
@operation("Dossiers with their document counts", tag="Dossiers", ok=DossierListOut)
def list_dossiers():
    return jsonify(dossiers=[dict(DossierOut().dump(d), documents=n)
                             for d, n in dossiers.list_dossiers(current_user)])


@bp.post("/dossiers")
@operation("Create a dossier", tag="Dossiers", ok=DossierOut, status=201, body=DossierIn,
           errors=(404, 409))
def create_dossier():
    data = DossierIn().load(request.get_json(silent=True) or {})
    dossier = dossiers.save_dossier(current_user, None, DossierValues(**data))
    return jsonify(DossierOut().dump(dossier)), 201


@bp.get("/dossiers/<int:dossier_id>")
@operation("A dossier with its documents", tag="Dossiers", ok=DossierDetailOut)
def get_dossier(dossier_id: int):
    dossier, documents = dossiers.get_dossier(current_user, dossier_id)
    return jsonify(dict(DossierOut().dump(dossier),
                        documents=DocumentRef(many=True).dump(documents)))


@bp.post("/dossiers/<int:dossier_id>/documents")
@operation("File a document in a dossier", tag="Dossiers", ok=OkOut, body=DossierDocumentIn,
           errors=(409,))
def add_to_dossier(dossier_id: int):
    data = DossierDocumentIn().load(request.get_json(silent=True) or {})
    dossiers.add_document(current_user, dossier_id, data["document_id"])
    return jsonify(OkOut().dump({"ok": True}))
