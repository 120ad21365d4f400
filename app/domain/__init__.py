"""Vocabularies and rules of the records domain, free of Flask and storage."""
