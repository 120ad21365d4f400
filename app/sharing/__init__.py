"""Sharing the archive: sharing levels, the OAI-PMH provider, harvesting and share links.

Everything that leaves the archive is chosen by ``app.sharing.visibility``,
so the secrecy rule (only "Thường" may leave) is enforced in one place.
"""
