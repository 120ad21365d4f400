"""Backups of the whole archive: ``flask backup create | verify | restore``.

``create.py`` writes one (database dump, objects copied by hash, audit head,
tombstones, manifest), ``verify.py`` re-checks every hash, ``restore.py``
brings one back into empty services; ``objects.py`` is the only module that
touches the archive's stored bytes. :func:`find_object` finds a good copy of
an object in the configured backup locations (``BACKUP_LOCATIONS``), and
:class:`BackupSource` hands those to fixity repair.
"""
from app.backup.locations import BackupSource, FoundObject, find_object

__all__ = ["BackupSource", "FoundObject", "find_object"]
