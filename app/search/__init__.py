"""Building Elasticsearch queries and snippets from what a person typed."""
