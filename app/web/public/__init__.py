"""The anonymous public portal (/cong-khai/): public records and briefings, their
search and an Atom feed; nothing else of the archive is reachable without a login."""
