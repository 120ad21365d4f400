"""Elasticsearch: versioned mappings, aliases, document bodies, bulk loading.

Code reads and writes through the alias ``<prefix>-documents``; a reindex
builds a new concrete index and swaps the alias atomically.
"""
