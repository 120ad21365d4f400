"""Periodic reports: page with charts and tables, DOCX and CSV downloads."""
