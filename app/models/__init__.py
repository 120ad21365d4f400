"""Models, one module per aggregate. Imported here so Alembic sees them all."""
from app.models.audit import AuditEvent
from app.models.briefing import (Briefing, BriefingCoverage, BriefingMaterial, PressArticle,
                                 PressArticleDocument)
from app.models.citation import DocumentCitation
from app.models.document import Document, DocumentFile, DocumentStatus, ProcessingTask
from app.models.user import ApiToken, Role, User

__all__ = [
    "ApiToken", "AuditEvent", "Briefing", "BriefingCoverage", "BriefingMaterial", "Document", "DocumentCitation", "DocumentFile", "DocumentStatus", "PressArticle",
    "PressArticleDocument", "ProcessingTask", "Role", "User",
]
