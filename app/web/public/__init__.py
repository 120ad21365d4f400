"""Pages for people outside the archive: no login, no staff navigation.

The anonymous public portal (/cong-khai/): public records and briefings, their
search and an Atom feed; and the share-link pages (/chia-se/<token>). Nothing
else of the archive is reachable without a login."""
