"""Controlled vocabularies: categories, NĐ 30/2020 document types, secrecy, urgency.

Stored values are short ASCII keys; labels are translated in templates via
``lazy_gettext`` so the interface speaks Vietnamese by default.
"""
from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "directive_decision": _l("Directive / decision"),
    "plan": _l("Plan"),
    "official_letter": _l("Official letter"),
    "guidance": _l("Guidance"),
    "report": _l("Report"),
    "briefing_material": _l("Briefing material"),
    "press_coverage": _l("Press coverage"),
    "communication_product": _l("Communication product"),
    "other": _l("Other"),
}

# NĐ 30/2020/NĐ-CP appendix: the Vietnamese type names, as printed on documents.
# Công văn and Thư công have no abbreviation; legal normative documents
# (Luật, Nghị định, Thông tư...) follow another law but are archived too.
# The recogniser reads these names; people see DOCUMENT_TYPES (translated).
TYPE_NAMES_VI = {
    "NQ": "Nghị quyết",
    "QD": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QYD": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTR": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "DA": "Đề án",
    "DAN": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTR": "Tờ trình",
    "HDG": "Hợp đồng",
    "CD": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "CV": "Công văn",
    "THC": "Thư công",
    "LUAT": "Luật",
    "ND": "Nghị định",
    "TT": "Thông tư",
    "AL": "Án lệ",
    "OTHER": "Khác",
}

# Labels shown to people: Vietnamese by default (the vi catalog gives the names
# above), English with ?lang=en.
DOCUMENT_TYPES = {
    "NQ": _l("Resolution"),
    "QD": _l("Decision"),
    "CT": _l("Directive"),
    "QC": _l("Rules"),
    "QYD": _l("Regulation"),
    "TC": _l("Communiqué"),
    "TB": _l("Notice"),
    "HD": _l("Guidance"),
    "CTR": _l("Programme"),
    "KH": _l("Plan"),
    "PA": _l("Scheme"),
    "DA": _l("Project proposal"),
    "DAN": _l("Project"),
    "BC": _l("Report"),
    "BB": _l("Minutes"),
    "TTR": _l("Submission"),
    "HDG": _l("Contract"),
    "CD": _l("Official telegram"),
    "BGN": _l("Memorandum of understanding"),
    "BTT": _l("Agreement"),
    "GUQ": _l("Power of attorney"),
    "GM": _l("Invitation"),
    "GGT": _l("Letter of introduction"),
    "GNP": _l("Leave permit"),
    "PG": _l("Dispatch note"),
    "PC": _l("Transfer slip"),
    "PB": _l("Notification slip"),
    "CV": _l("Official letter"),
    "THC": _l("Public letter"),
    "LUAT": _l("Law"),
    "ND": _l("Decree"),
    "TT": _l("Circular"),
    "AL": _l("Precedent"),
    "OTHER": _l("Other"),
}

# The abbreviation printed in the symbol, where it differs from our key.
TYPE_ABBREVIATIONS = {
    "QD": "QĐ", "QYD": "QyĐ", "DA": "ĐA", "DAN": "DA", "HDG": "HĐ", "CD": "CĐ",
    "ND": "NĐ", "CV": "", "THC": "",
}

# Ascending; a user sees a document only when clearance >= secrecy.
SECRECY_LEVELS = {
    "thuong": (0, _l("Normal")),
    "mat": (1, _l("Confidential (Mật)")),
    "toi_mat": (2, _l("Secret (Tối mật)")),
    "tuyet_mat": (3, _l("Top secret (Tuyệt mật)")),
}

URGENCY_LEVELS = {
    "thuong": _l("Normal"),
    "khan": _l("Urgent (Khẩn)"),
    "thuong_khan": _l("Very urgent (Thượng khẩn)"),
    "hoa_toc": _l("Flash (Hỏa tốc)"),
}


def secrecy_rank(level: str) -> int:
    return SECRECY_LEVELS[level][0]


def levels_up_to(clearance: str) -> list[str]:
    """Secrecy levels a user with ``clearance`` may see."""
    limit = secrecy_rank(clearance)
    return [key for key, (rank, _) in SECRECY_LEVELS.items() if rank <= limit]


# Communication products (records management): who paid, and what it is.
FUNDING_SOURCES = {
    "state_budget": _l("State budget"),
    "other": _l("Other source"),
}

PRODUCT_KINDS = {
    "publication": _l("Publication"),
    "radio_tv": _l("Radio or TV report"),
    "video": _l("Video"),
    "exhibition": _l("Exhibition"),
    "other": _l("Other"),
}

RETENTION_ACTIONS = {
    "destroy": _l("Destroy"),
    "transfer": _l("Transfer to the historical archive"),
    "review": _l("Review"),
}

RETENTION_TRIGGERS = {
    "issue_year_end": _l("End of the year the document was issued"),
    "dossier_close": _l("End of the year the dossier closed"),
}

DISPOSITIONS = {
    "active": _l("Kept"),
    "due": _l("Due for review"),
    "proposed": _l("Proposed for disposition"),
    "destroyed": _l("Destroyed"),
    "transferred": _l("Transferred"),
    "deleted": _l("Deleted"),
}

PROPOSAL_STATES = {
    "proposed": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "executed": _l("Carried out"),
    "blocked": _l("Blocked by a legal hold"),
}
