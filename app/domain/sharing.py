"""Sharing levels as people read them (pages, the audit trail, the API's labels)."""
from flask_babel import lazy_gettext as _l

# Keys are app.models.sharing.SharingLevel values.
LEVEL_LABELS = {
    "internal": _l("Internal"),
    "partner": _l("Shared with partner agencies"),
    "public": _l("Public"),
}

LEVEL_HELP = {
    "internal": _l("Only the archive's staff can see it."),
    "partner": _l("Partner agencies holding a harvesting token can also receive it."),
    "public": _l("Anyone can find and read it on the public portal and in its feed."),
}

# Rules that change sharing on their own (audit entries name them).
RULE_LABELS = {
    "briefing_coverage": _l("a briefing's press coverage is published with it"),
}
