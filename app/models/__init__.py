"""Models, one module per aggregate. Imported here so Alembic sees them all."""
from app.models.agency import AgencyName
from app.models.audit import AuditEvent
from app.models.bulk import BulkOperation
from app.models.briefing import (Briefing, BriefingCoverage, BriefingMaterial, PressArticle,
                                 PressArticleDocument)
from app.models.citation import DocumentCitation
from app.models.document import Disposition, Document, DocumentFile, DocumentStatus, ProcessingTask
from app.models.fixity import FixityRecord
from app.models.passage import DocumentPassage
from app.models.notification import (Notification, NotificationKind, NotificationSettings,
                                     SavedSearch)
from app.models.retention import (
    DispositionItem, DispositionProposal, Dossier, LegalHold, RetentionRule, RetentionSchedule,
)
from app.models.staged import StagedUpload
from app.models.sharing import HarvestRun, HarvestSource, PartnerToken, ShareLink, SharingLevel
from app.models.user import ApiToken, Role, User

__all__ = [
    "AgencyName", "ApiToken", "AuditEvent", "Briefing", "BulkOperation", "BriefingCoverage", "BriefingMaterial", "Disposition",
    "DispositionItem", "DispositionProposal", "Document", "DocumentCitation", "DocumentFile",
    "DocumentPassage", "DocumentStatus", "Dossier", "FixityRecord", "LegalHold", "PressArticle", "PressArticleDocument",
    "ProcessingTask", "RetentionRule", "RetentionSchedule", "Role", "User",
    "HarvestRun", "HarvestSource", "PartnerToken", "ShareLink", "SharingLevel",
    "Notification", "NotificationKind", "NotificationSettings", "SavedSearch", "StagedUpload",
]
