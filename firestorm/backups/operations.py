"""Backing up a SQLite install and putting a backup back, in an order that leaves the site's
database whole whatever step fails: everything is written aside, then renamed into place."""

import logging
import os
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from firestorm.backups import BackupError, archive, sqlite_files
from firestorm.backups.archive import Manifest

log = logging.getLogger(__name__)

ASIDE_SUFFIX = ".before-restore"


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    database_aside: Path | None  # the database as it was, when there was one
    covers_aside: Path | None


def make_backup(database: Path, covers: Path | None, destination: Path, now: datetime) -> Manifest:
    """Write the database, copied while the site runs, and the covers folder (when the covers
    are kept in one, and it exists) to the archive `destination`."""
    if not destination.parent.is_dir():
        raise BackupError(f"There is no folder {destination.parent} to write the backup in.")
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".firestorm-backup-") as work:
        copy = Path(work) / archive.DATABASE
        sqlite_files.copy_live(database, copy)
        revision = sqlite_files.schema_revision(copy)
        folder = covers if covers is not None and covers.is_dir() else None
        manifest = archive.write(destination, copy, folder, now, revision)
    log.info("Backup of %s (%d covers) written to %s", database, manifest.covers, destination)
    return manifest


def restore_backup(
    source: Path, database: Path, covers: Path | None, known_revisions: Collection[str]
) -> Restored:
    """Replace the database and the covers folder with the backup's, keeping what they were
    beside them (ending in .before-restore); with no covers folder (the covers are kept in the
    database or a bucket), the database alone. The site must be stopped. `known_revisions` are
    the schema revisions this version's migrations know: a backup made by a newer version
    (a schema they cannot upgrade from) is refused before anything is replaced."""
    archive.read_manifest(source)
    database.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=database.parent, prefix=".firestorm-restore-"))
    new_covers = None
    try:
        manifest = archive.unpack(source, staging)
        new_database = staging / archive.DATABASE
        revision = sqlite_files.schema_revision(new_database)
        if revision not in known_revisions:
            raise BackupError(
                f"{source} was made by a newer version of Firestorm (its database is at schema "
                f"{revision}, which this version does not know). Install that version or a later "
                "one first, then restore it."
            )
        if covers is not None:
            new_covers = _staged_beside(staging / archive.COVERS, covers)
        sqlite_files.take_offline(database)
        restored = Restored(
            manifest,
            database_aside=_put_file_in_place(new_database, database),
            covers_aside=_put_folder_in_place(new_covers, covers) if covers else None,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if new_covers is not None:
            shutil.rmtree(new_covers, ignore_errors=True)
    log.info("Backup %s (made %s) restored over %s", source, manifest.created_at, database)
    return restored


def _staged_beside(unpacked: Path, target: Path) -> Path | None:
    """The unpacked folder moved next to `target` (a rename there is then atomic), or None
    when the backup has none."""
    if not unpacked.is_dir():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.restoring-"))
    os.rmdir(staged)
    shutil.move(unpacked, staged)
    return staged


def _put_file_in_place(new: Path, live: Path) -> Path | None:
    aside = None
    if live.exists():
        aside = live.with_name(live.name + ASIDE_SUFFIX)
        # Copied rather than moved, so there is never a moment without a database file.
        draft = live.with_name(live.name + ASIDE_SUFFIX + ".partial")
        shutil.copy2(live, draft)
        os.replace(draft, aside)
        shutil.copymode(live, new)
    os.replace(new, live)
    return aside


def _put_folder_in_place(new: Path | None, live: Path) -> Path | None:
    aside = None
    if live.exists():
        aside = live.with_name(live.name + ASIDE_SUFFIX)
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(live, aside)
    if new is not None:
        os.replace(new, live)
    return aside
