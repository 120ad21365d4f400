"""Bulk actions as people read them (pages and the audit trail)."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "set_category": _l("Set the category"),
    "set_type": _l("Set the document type"),
    "set_schedule": _l("Set the retention series"),
    "add_to_dossier": _l("Add to a dossier"),
    "hold": _l("Place a legal hold"),
    "retry": _l("Process the failed ones again"),
    "export_zip": _l("Download as ZIP with an index"),
    "set_sharing": _l("Set the sharing level"),
}
