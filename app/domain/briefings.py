"""Vocabularies of the press-briefing mechanism (see shared DOMAIN.md).

Stored values are short ASCII keys; labels are translated via ``lazy_gettext``.
"""
from flask_babel import lazy_gettext as _l

KINDS = {
    "periodic": _l("Periodic (monthly press meeting)"),
    "adhoc": _l("Ad-hoc (after an incident)"),
}

TOPICS = {
    "human_rights": _l("Human rights"),
    "foreign_information": _l("Foreign information"),
    "other": _l("Other"),
}

HOSTS = {
    "propaganda": _l("Party propaganda committee"),
    "police": _l("Provincial police (standing office, human-rights steering committee)"),
    "communications": _l("Communications department"),
    "journalists": _l("Journalists' association"),
    "peoples_committee": _l("Provincial People's Committee"),
    "other": _l("Other"),
}

MATERIAL_ROLES = {
    "guidance": _l("Central guidance"),
    "talking_points": _l("Talking points"),
    "report": _l("Report"),
    "minutes": _l("Minutes"),
    "other": _l("Other"),
}
