"""Models, one module per aggregate. Imported here so Alembic sees them all."""
from app.models.document import Document, DocumentFile, DocumentStatus, ProcessingTask
from app.models.user import ApiToken, Role, User

__all__ = [
    "ApiToken", "Document", "DocumentFile", "DocumentStatus", "ProcessingTask",
    "Role", "User",
]
