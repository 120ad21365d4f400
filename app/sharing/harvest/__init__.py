"""Harvesting other archives over OAI-PMH into this one, as read-only external records.

- ``client``: the OAI-PMH client (sickle) with a bearer token and a timeout, and
  the download of original files from the provider's file links.
- ``mapping``: an ``nd30`` (or ``oai_dc``) record -> the metadata of a Document.
- ``importer``: one record into the database: created, updated, withdrawn or
  unchanged; deduplicated by (source, identifier) and by the files' SHA-256.
- ``runner``: one harvest of one source, incremental from the last success.
- ``sources``: the admin's use cases (sources, "harvest now", what is due).
- ``messages``: what went wrong, as sentences in the reader's language.
"""
