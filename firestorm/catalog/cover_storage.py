"""Where cover images are kept, as COVER_STORAGE says: a folder (one server), the database, or
S3-compatible object storage (several servers). One small interface for covers.py, the cover
route and backups; the storage says in words why an image could not be stored."""

import errno
import logging
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from firestorm.catalog.models import CoverFile
from firestorm.database import db, insert_with_on_conflict, rows_changed

log = logging.getLogger(__name__)

STORAGES = ("folder", "database", "s3")
CONTENT_TYPE = "image/webp"
# A cover's name is a hash of its content: the same address never shows another image.
CACHE_FOR_EVER = "public, max-age=31536000, immutable"
DISK_FULL = "the server's disk is full"


class CoverNotStored(Exception):
    """The image could not be stored (a full disk, a storage that did not answer); the reason
    is in words a member reads, and the book can be saved without it."""


class CoverStorage(Protocol):
    """Where cover images live, each under its file name (covers.FILE_NAME)."""

    # True when writes are part of the database transaction: a rollback takes them away by
    # itself, and images no book uses are deleted before the commit. Otherwise they are
    # written beside it: deleted again after a rollback, and the unused ones after the commit.
    in_transaction: ClassVar[bool]

    @property
    def where(self) -> str:
        """Where the covers are, in words ("the folder /srv/covers")."""
        ...

    def write(self, name: str, data: bytes, content_type: str = CONTENT_TYPE) -> bool:
        """Store the image unless it is there (the same name is the same image): True if it
        was stored now. Raises CoverNotStored, leaving nothing half-written. The content type
        is a cover's unless said (a share card is a PNG: sharing/cards.py)."""
        ...

    def read(self, name: str) -> bytes | None:
        """The image's bytes, or None when there is none of that name."""
        ...

    def delete(self, names: Collection[str]) -> None:
        """Delete these images; one that can't be is logged, never raised (it is only space)."""
        ...

    def public_url(self, name: str) -> str | None:
        """The address pages link the image at when it is not the site's own /covers/."""
        ...


@dataclass(frozen=True)
class FolderStorage:
    """Files in COVERS_DIR, which a web server in front may serve itself."""

    folder: Path
    in_transaction: ClassVar[bool] = False

    @property
    def where(self) -> str:
        return f"the folder {self.folder}"

    def write(self, name: str, data: bytes, content_type: str = CONTENT_TYPE) -> bool:
        final = self.folder / name
        if final.exists():
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_aside_and_rename(final, data)
        except OSError as error:
            log.warning("Cover file %s could not be written: %s", name, error)
            full = error.errno in (errno.ENOSPC, errno.EDQUOT)
            raise CoverNotStored(DISK_FULL if full else "the server could not write it") from None
        return True

    def read(self, name: str) -> bytes | None:
        try:
            return (self.folder / name).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, names: Collection[str]) -> None:
        for name in names:
            try:
                (self.folder / name).unlink(missing_ok=True)
            except OSError as error:
                log.warning("Cover file %s could not be deleted: %s", name, error)

    def public_url(self, name: str) -> str | None:
        return None


def _write_aside_and_rename(final: Path, data: bytes) -> None:
    """Written aside and renamed, so no one ever reads half a file; a failed write (a full
    disk fails as the file is written or closed) leaves nothing behind."""
    draft: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=final.parent, prefix=f".{final.name}.", delete=False
        ) as file:
            draft = Path(file.name)
            file.write(data)
        # Readable by a web server serving the folder directly (the temp file is 0600).
        os.chmod(draft, 0o644)
        os.replace(draft, final)
    except BaseException:
        if draft is not None:
            draft.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class DatabaseStorage:
    """Rows of cover_files, in the request's transaction: every server sharing the database
    sees them, and its backup holds them."""

    in_transaction: ClassVar[bool] = True

    @property
    def where(self) -> str:
        return "the database"

    def write(self, name: str, data: bytes, content_type: str = CONTENT_TYPE) -> bool:
        insert = insert_with_on_conflict(db.session.get_bind().dialect)
        # Two members uploading the same image at once: the second adds nothing.
        statement = (
            insert(CoverFile)
            .values(name=name, data=data, size=len(data))
            .on_conflict_do_nothing(index_elements=["name"])
        )
        try:
            # A savepoint: a failed INSERT (PostgreSQL out of disk) leaves the rest of the
            # transaction, the book's other changes, able to commit.
            with db.session.begin_nested():
                return rows_changed(statement) > 0
        except SQLAlchemyError as error:
            log.warning("Cover %s could not be written to the database: %s", name, error)
            full = "disk is full" in str(error) or _sqlstate(error) == "53100"
            raise CoverNotStored(DISK_FULL if full else "the database did not take it") from None

    def read(self, name: str) -> bytes | None:
        return db.session.scalar(select(CoverFile.data).where(CoverFile.name == name))

    def delete(self, names: Collection[str]) -> None:
        if names:
            db.session.execute(delete(CoverFile).where(CoverFile.name.in_(names)))

    def public_url(self, name: str) -> str | None:
        return None


@dataclass(frozen=True)
class S3Storage:
    """Objects in an S3-compatible bucket, each stored with the headers a browser caches by."""

    bucket: str
    # Where the bucket's objects can be read by anyone ("https://covers.example.org"), or ""
    # for the site to serve them at /covers/.
    public_address: str
    # boto3 ships no types: this class is the typed face of the few calls made through it.
    client: Any = field(compare=False, repr=False)
    in_transaction: ClassVar[bool] = False

    @property
    def where(self) -> str:
        return f"the S3 bucket {self.bucket}"

    def write(self, name: str, data: bytes, content_type: str = CONTENT_TYPE) -> bool:
        try:
            if self._exists(name):
                return False
            self.client.put_object(
                Bucket=self.bucket,
                Key=name,
                Body=data,
                ContentType=content_type,
                CacheControl=CACHE_FOR_EVER,
            )
        except (BotoCoreError, ClientError) as error:
            log.warning("Cover %s could not be written to %s: %s", name, self.where, error)
            raise CoverNotStored("the storage for covers did not take it") from None
        return True

    def _exists(self, name: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as error:
            if _status(error) == 404:
                return False
            raise
        return True

    def read(self, name: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name)
        except ClientError as error:
            if _status(error) == 404:
                return None
            raise
        body: bytes = answer["Body"].read()
        return body

    def delete(self, names: Collection[str]) -> None:
        if not names:
            return
        objects = [{"Key": name} for name in sorted(names)]
        try:
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
            )
        except (BotoCoreError, ClientError) as error:
            log.warning("Covers %s could not be deleted from %s: %s", names, self.where, error)
            return
        for failed in answer.get("Errors", []):
            log.warning("Cover %s could not be deleted: %s", failed["Key"], failed["Message"])

    def public_url(self, name: str) -> str | None:
        return f"{self.public_address.rstrip('/')}/{name}" if self.public_address else None


def _sqlstate(error: SQLAlchemyError) -> str:
    """PostgreSQL's code for the error (53100 is a full disk), or ""."""
    return str(getattr(getattr(error, "orig", None), "sqlstate", "") or "")


def _status(error: ClientError) -> int:
    status: int = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status


def storage_from_settings(settings: Mapping[str, Any]) -> CoverStorage:
    """The storage COVER_STORAGE names, made once when the app starts (no request is sent)."""
    kind = settings["COVER_STORAGE"]
    if kind == "folder":
        return FolderStorage(Path(settings["COVERS_DIR"]))
    if kind == "database":
        return DatabaseStorage()
    if kind == "s3":
        return _s3_storage(settings)
    raise ValueError(f"COVER_STORAGE is {kind!r}: it must be one of {', '.join(STORAGES)}.")


def _s3_storage(settings: Mapping[str, Any]) -> S3Storage:
    if not settings["COVER_S3_BUCKET"]:
        raise ValueError("COVER_STORAGE is s3: set COVER_S3_BUCKET to the bucket's name.")
    public_address = settings["COVER_S3_PUBLIC_URL"]
    if public_address and urlsplit(public_address).scheme not in ("http", "https"):
        raise ValueError(
            f"COVER_S3_PUBLIC_URL is {public_address!r}: it must be an address starting "
            "https:// (or http://)."
        )
    endpoint = settings["COVER_S3_ENDPOINT_URL"] or None
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=settings["COVER_S3_REGION"] or None,
        config=BotoConfig(
            # An upload waits on the storage: a storage that does not answer is told to the
            # member in seconds, not minutes.
            connect_timeout=5,
            read_timeout=15,
            retries={"max_attempts": 3, "mode": "standard"},
            # Every S3-compatible service (MinIO, Ceph, R2, a local stand-in) takes
            # bucket/key addresses; AWS itself is left its own default.
            s3={"addressing_style": "path" if endpoint else "auto"},
        ),
    )
    return S3Storage(settings["COVER_S3_BUCKET"], public_address, client)
