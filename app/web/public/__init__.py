"""Pages for people outside the archive: no login, no staff navigation."""
