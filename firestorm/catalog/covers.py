"""Cover images: an upload checked from its bytes, re-encoded into a display image and a
thumbnail, kept content-addressed where COVER_STORAGE says (cover_storage.py), in step with
the transaction, and deleted only once unused."""

import hashlib
import io
import logging
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from firestorm.catalog.cover_storage import CoverNotStored, CoverStorage, FolderStorage
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.refusals import Refusal

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
# Checked from the header, before a pixel is decoded: a small file that claims more than this
# (a decompression bomb) is refused at once. 40 megapixels is more than any camera photo
# that fits in 5 MB, and decodes in well under a second.
MAX_PIXELS = 40_000_000
# What Pillow may try to read the bytes as; the name the file came with is never looked at.
# MPO is how Pillow names a JPEG that carries a second picture (many cameras write them).
READABLE_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}

# Largest sizes, in pixels: the book page's image and the lists' thumbnail (2x their CSS size).
DISPLAY_BOX = (600, 900)
THUMBNAIL_BOX = (160, 240)
WEBP_QUALITY = 82
# <key>.webp is the display image, <key>-thumb.webp the thumbnail; the key is 32 hex digits
# of the display image's SHA-256. /covers/<name> serves exactly these names and no other.
FILE_NAME = re.compile(r"[0-9a-f]{32}(-thumb)?\.webp")
# The same images as JPEG, for what reads no WebP (many social sites): <key>.jpg and
# <key>-thumb.jpg, made from the WebP when asked for, never stored.
JPEG_NAME = re.compile(r"[0-9a-f]{32}(-thumb)?\.jpg")
JPEG_QUALITY = 88
SRGB = ImageCms.createProfile("sRGB")
DAMAGED = "That image is damaged or incomplete and can't be read. Try saving it again."


class CoverProblem(Refusal, field="cover"):
    """An upload refused, in words the member can act on."""


@dataclass(frozen=True)
class CoverImage:
    """One stored image of a book's cover, as a page draws it."""

    file_name: str
    width: int
    height: int

    @property
    def jpeg_name(self) -> str:
        """The name of the same image as JPEG (JPEG_NAME)."""
        return self.file_name.removesuffix(".webp") + ".jpg"


def cover_image(book: Book, thumbnail: bool = False) -> CoverImage | None:
    """The book's cover image for the book page, or the thumbnail for lists; None when the
    book has no uploaded cover (pages then draw the typographic one)."""
    if not book.cover_key or not book.cover_width or not book.cover_height:
        return None
    if not thumbnail:
        return CoverImage(f"{book.cover_key}.webp", book.cover_width, book.cover_height)
    width, height = fitted((book.cover_width, book.cover_height), THUMBNAIL_BOX)
    return CoverImage(f"{book.cover_key}-thumb.webp", width, height)


def fitted(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """A size shrunk (never enlarged) to fit the box, keeping its shape."""
    scale = min(1, box[0] / size[0], box[1] / size[1])
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def webp_name(jpeg_name: str) -> str:
    """The stored image a JPEG name (JPEG_NAME) is made from."""
    return jpeg_name.removesuffix(".jpg") + ".webp"


def as_jpeg(webp: bytes) -> bytes:
    """A stored cover image (a WebP this module wrote) as a JPEG."""
    with Image.open(io.BytesIO(webp), formats=["WEBP"]) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


# --- Storing and removing -----------------------------------------------------------------


def store_cover(book: Book, data: bytes, storage: CoverStorage | Path) -> None:
    """Make the uploaded bytes the book's cover, or raise CoverProblem (the upload is refused)
    or CoverNotStored (the storage failed: the book keeps the cover it had).

    `storage` is where covers live; a folder's path stands for that folder. Outside the
    database, the images are written now, deleted again if the transaction is rolled back,
    and the cover they replace is deleted once the change is committed.
    """
    display, thumbnail = _reencoded(_decoded(data))
    key = hashlib.sha256(display.data).hexdigest()[:32]
    changes = _changes(storage)
    written: list[str] = []
    try:
        for name, image in ((f"{key}.webp", display), (f"{key}-thumb.webp", thumbnail)):
            if changes.storage.write(name, image.data):
                written.append(name)
    except CoverNotStored:
        # No display image without its thumbnail: what this upload wrote goes at once.
        changes.storage.delete(written)
        log.warning("Cover for book %s not stored in %s", book.id, changes.storage.where)
        raise
    changes.written.update(written)
    _release(book, changes)
    book.cover_key, book.cover_width, book.cover_height = key, display.width, display.height
    log.info("Cover %s (%dx%d) stored for book %s", key, display.width, display.height, book.id)


def checked_thumbnail(data: bytes) -> bytes:
    """The thumbnail an upload of these bytes would make, or CoverProblem: a cover found
    elsewhere passes the upload's checks before a member is shown it."""
    return _reencoded(_decoded(data))[1].data


def remove_cover(book: Book, storage: CoverStorage | Path) -> None:
    """The book goes back to its typographic cover; its images go once that is committed (and
    no other book shows the same image). Call it before deleting a book too."""
    if book.cover_key:
        _release(book, _changes(storage))
        log.info("Cover %s removed from book %s", book.cover_key, book.id)
    book.cover_key = book.cover_width = book.cover_height = None


# --- Reading the upload -------------------------------------------------------------------


@dataclass(frozen=True)
class _Encoded:
    data: bytes
    width: int
    height: int


def _decoded(data: bytes) -> Image.Image:
    """The upload as one RGB picture, turned the way its EXIF says, or CoverProblem."""
    if len(data) > MAX_BYTES:
        # Rounded up: a file just over the limit must not read "5.0 MB".
        megabytes = math.ceil(len(data) / 1024 / 1024 * 10) / 10
        raise CoverProblem(
            f"That file is {megabytes:.1f} MB; a cover can be at most "
            f"{MAX_BYTES // 1024 // 1024} MB."
        )
    if not data:
        raise CoverProblem("That file is empty.")
    image = _opened(data)
    try:
        # A JPEG decodes at a half, quarter or eighth of its size when that is still larger
        # than the display image: much faster, and the same result after resizing.
        image.draft(None, (max(DISPLAY_BOX), max(DISPLAY_BOX)))
        image.load()
        return _as_rgb(ImageOps.exif_transpose(image))
    except Exception as error:
        # Hostile or damaged files make Pillow's decoders raise many kinds of error (OSError
        # for a truncated file, SyntaxError, ValueError, struct.error, IndexError…): all of
        # them mean the same thing to the member.
        log.info("Cover upload refused, unreadable: %r", error)
        raise CoverProblem(DAMAGED) from None


def _opened(data: bytes) -> Image.Image:
    """The image's header read (no pixels decoded yet) and its type and size checked."""
    not_an_image = CoverProblem("That file is not a JPEG, PNG or WebP image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=READABLE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise not_an_image from None
    except Exception:
        # A header Pillow recognised but could not parse (see _decoded).
        raise CoverProblem(DAMAGED) from None
    if image.format not in ACCEPTED_FORMATS:
        raise not_an_image
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels(image.size)
    return image


def _too_many_pixels(size: tuple[int, int] | None = None) -> CoverProblem:
    stated = f" ({size[0]:,} × {size[1]:,})" if size else ""
    return CoverProblem(
        f"That image has too many pixels{stated} to open safely; a cover can have at most "
        f"{MAX_PIXELS // 1_000_000} million (for example 5,000 × 8,000)."
    )


def _as_rgb(image: Image.Image) -> Image.Image:
    """Plain RGB in sRGB: transparency laid on white, CMYK, greys and palettes converted,
    a colour profile applied rather than dropped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greys: keep the top 8 bits rather than clipping everything light to white.
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
            if converted is not None:  # None only when converting in place
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the colours as they are are close enough
    return image.convert("RGB")


def _reencoded(image: Image.Image) -> tuple[_Encoded, _Encoded]:
    # reducing_gap: a large upload is first shrunk by whole steps, then resampled; several
    # times faster on a 40-megapixel image, and no visible difference at these sizes.
    display = image.resize(
        fitted(image.size, DISPLAY_BOX), Image.Resampling.LANCZOS, reducing_gap=3.0
    )
    thumbnail = display.resize(fitted(display.size, THUMBNAIL_BOX), Image.Resampling.LANCZOS)
    return _encoded(display), _encoded(thumbnail)


def _encoded(image: Image.Image) -> _Encoded:
    # Nothing from the upload's metadata is passed on: no EXIF (camera, place, time), no XMP,
    # no profile (the pixels are sRGB already).
    image.info = {}
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return _Encoded(out.getvalue(), image.width, image.height)


# --- Images, kept in step with the transaction --------------------------------------------


@dataclass
class _Changes:
    """This transaction's cover images: those it wrote, and the keys books stopped using."""

    storage: CoverStorage
    written: set[str] = field(default_factory=set)
    released: set[str] = field(default_factory=set)
    unused: set[str] = field(default_factory=set)


def _changes(storage: CoverStorage | Path) -> _Changes:
    if isinstance(storage, Path):
        storage = FolderStorage(storage)
    pending = db.session.info.setdefault("cover_changes", {})
    return pending.setdefault(storage, _Changes(storage))


def _release(book: Book, changes: _Changes) -> None:
    if book.cover_key:
        changes.released.add(book.cover_key)


def _key_of(name: str) -> str:
    return name.removesuffix(".webp").removesuffix("-thumb")


def _names(keys: set[str]) -> set[str]:
    return {f"{key}{suffix}.webp" for key in keys for suffix in ("", "-thumb")}


@event.listens_for(db.session, "before_commit")
def _find_unused(session: Session) -> None:
    """Before the commit, while the transaction still sees its own changes: which of the keys
    it wrote or let go does no book use now? In the database they are deleted at once."""
    if session.in_nested_transaction():
        return  # a savepoint's release is not the commit
    for changes in session.info.get("cover_changes", {}).values():
        candidates = changes.released | {_key_of(name) for name in changes.written}
        if not candidates:
            continue
        session.flush()
        used = session.scalars(select(Book.cover_key).where(Book.cover_key.in_(candidates)))
        changes.unused = candidates - set(used)
        if changes.storage.in_transaction and changes.unused:
            changes.storage.delete(_names(changes.unused))
            _log_deleted(changes.unused)


@event.listens_for(db.session, "after_commit")
def _delete_unused(session: Session) -> None:
    if session.in_nested_transaction():
        return
    for changes in session.info.pop("cover_changes", {}).values():
        if not changes.storage.in_transaction and changes.unused:
            changes.storage.delete(_names(changes.unused))
            _log_deleted(changes.unused)


def _log_deleted(keys: set[str]) -> None:
    log.info("Cover images no book uses deleted: %s", ", ".join(sorted(keys)))


@event.listens_for(db.session, "after_transaction_end")
def _delete_written(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without committing (a rollback, a refused form, an error)
    takes the images it wrote with it (in the database, the rollback itself did); after a
    commit, _delete_unused has emptied the list."""
    if transaction.parent is not None:
        return
    for changes in session.info.pop("cover_changes", {}).values():
        if not changes.storage.in_transaction:
            changes.storage.delete(changes.written)
