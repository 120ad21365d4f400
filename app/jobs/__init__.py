"""RQ entry points. They take ids, reload state from the database, and are idempotent."""
