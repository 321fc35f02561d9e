"""The backup file: a gzipped tar holding manifest.json, the database copy and covers/.
Writing one, and reading one back while refusing any file that is not one of ours."""

import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from firestorm.backups import BackupError

APP = "firestorm"
# Bumped when the layout below changes; restore reads this version only.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
COVERS = "covers"
# A manifest is a few hundred bytes; a larger one is not ours.
MANIFEST_MAX_BYTES = 64 * 1024
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, OSError)


@dataclass(frozen=True)
class Manifest:
    """What restore checks before it trusts a file, and what it tells the person."""

    created_at: str  # ISO 8601, UTC
    database: str  # "sqlite"
    schema_revision: str | None  # the Alembic revision the copied database was at
    covers: int  # how many cover files the archive holds
    app: str = APP
    format_version: int = FORMAT_VERSION

    def made_at(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2).encode()


def write(
    destination: Path, database: Path, covers: Path | None, now: datetime, revision: str
) -> Manifest:
    """Write the archive beside `destination` and rename it into place, so a half-written
    file never carries the backup's name. Readable by its owner only: it holds password
    hashes."""
    handle, draft_name = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial"
    )
    os.close(handle)
    draft = Path(draft_name)
    try:
        with tarfile.open(draft, "w:gz") as tar:
            tar.add(database, arcname=DATABASE)
            added = _add_covers(tar, covers) if covers is not None else 0
            manifest = Manifest(now.isoformat(timespec="seconds"), "sqlite", revision, added)
            _add_bytes(tar, MANIFEST, manifest.to_json())
        os.replace(draft, destination)
    finally:
        draft.unlink(missing_ok=True)
    return manifest


def _add_covers(tar: tarfile.TarFile, folder: Path) -> int:
    """Add the folder's files; the site may be adding and deleting covers meanwhile."""
    tar.add(folder, arcname=COVERS, recursive=False)
    added = 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        # A name starting with a dot is a cover still being written (catalog/covers.py); a
        # link could point anywhere on the server, and restore takes files and folders only.
        hidden = any(part.startswith(".") for part in relative.parts)
        if hidden or path.is_symlink() or not (path.is_file() or path.is_dir()):
            continue
        try:
            tar.add(path, arcname=f"{COVERS}/{relative.as_posix()}", recursive=False)
        except FileNotFoundError:
            continue  # deleted while the backup ran: no book uses it any more
        added += tar.getmembers()[-1].isfile()
    return added


def read_manifest(source: Path) -> Manifest:
    """The manifest of a backup of ours, or BackupError saying why the file is not one."""
    with _open(source) as tar:
        return _checked_manifest(source, tar)


def unpack(source: Path, into: Path) -> Manifest:
    """Check the backup, then extract its database (into/database.sqlite3) and its covers
    (into/covers, when it has any) into the empty folder `into`."""
    with _open(source) as tar:
        manifest = _checked_manifest(source, tar)
        try:
            members = _restorable_members(source, tar)
            tar.extractall(into, members=members, filter="data")
        except UNREADABLE as error:
            raise BackupError(f"{source} is damaged and cannot be read ({error}).") from None
    return manifest


def _open(source: Path) -> tarfile.TarFile:
    if not source.is_file():
        raise BackupError(f"There is no file at {source}.")
    try:
        return tarfile.open(source, "r:*")
    except UNREADABLE:
        raise BackupError(
            f"{source} is not a Firestorm backup: it is not a .tar.gz archive."
        ) from None


def _checked_manifest(source: Path, tar: tarfile.TarFile) -> Manifest:
    fields = _manifest_fields(source, tar)
    if not isinstance(fields, dict) or fields.get("app") != APP:
        raise _not_ours(source)
    version = fields.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{source} is a Firestorm backup in format version {version}; this version of "
            f"Firestorm reads format version {FORMAT_VERSION} only."
        )
    try:
        manifest = Manifest(**fields)
        manifest.made_at()
    except (TypeError, ValueError):
        raise _not_ours(source) from None
    if manifest.database != "sqlite":
        raise BackupError(
            f"{source} holds a {manifest.database} database; restore puts back SQLite backups only."
        )
    return manifest


def _manifest_fields(source: Path, tar: tarfile.TarFile) -> object:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(
            f"{source} is an archive but not a Firestorm backup: it has no {MANIFEST}."
        ) from None
    except UNREADABLE as error:
        raise BackupError(f"{source} is damaged and cannot be read ({error}).") from None
    try:
        if not member.isfile() or member.size > MANIFEST_MAX_BYTES:
            raise ValueError("not a small file")
        manifest = tar.extractfile(member)
        if manifest is None:
            raise ValueError("not a regular file")
        return json.loads(manifest.read())
    except (ValueError, *UNREADABLE):
        raise _not_ours(source) from None


def _not_ours(source: Path) -> BackupError:
    return BackupError(f"{source} is not a Firestorm backup: its manifest is not ours.")


def _restorable_members(source: Path, tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if not _is_restorable(member):
            raise BackupError(
                f"{source} holds {member.name!r}, which no Firestorm backup holds; "
                "nothing was restored."
            )
        members.append(member)
    if not any(member.name == DATABASE for member in members):
        raise BackupError(f"{source} holds no database; nothing was restored.")
    return members


def _is_restorable(member: tarfile.TarInfo) -> bool:
    path = PurePosixPath(member.name)
    if member.name == DATABASE:
        return member.isfile()
    in_covers = path.parts[:1] == (COVERS,) and ".." not in path.parts
    return in_covers and not path.is_absolute() and (member.isfile() or member.isdir())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))
