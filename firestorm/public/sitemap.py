"""What /sitemap.xml lists: the public pages that stay (the static ones, shelves, reviewers with
something published, events, books not hidden), each with when it last changed where that is known,
in files of at most SITEMAP_URLS_PER_FILE addresses.

Sections are counted and read a slice at a time, so a file of the index reads only its own
rows, with columns rather than whole books.
"""

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, func, select

from firestorm.catalog.models import Book, Shelf, book_shelves
from firestorm.database import db
from firestorm.events.models import Event
from firestorm.reviews.models import Review
from firestorm.web import navigation


class Entry(NamedTuple):
    """One address: a route and its arguments, and when its page last changed (or None)."""

    endpoint: str
    values: dict[str, object]
    lastmod: datetime | None = None


class Section(NamedTuple):
    # How many addresses it has (a tuple's own `count` takes the name "count").
    size: Callable[[], int]
    entries: Callable[[int, int], list[Entry]]


def _counted(statement: Select) -> int:
    return db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()


def _slice(statement: Select, offset: int, limit: int) -> Sequence[Row[*tuple[Any, ...]]]:
    return db.session.execute(statement.offset(offset).limit(limit)).all()


def _visible(statement: Select) -> Select:
    return statement.where(Book.hidden.is_(False))


def _static_section() -> Section:
    # The main navigation's pages, in its order: most looked-for first. Searches, filters and
    # pages past the first are left to the links between pages.
    entries = [Entry(link.endpoint, {}) for link in navigation.links(navigation.MAIN)]
    return Section(lambda: len(entries), lambda offset, limit: entries[offset : offset + limit])


_sections: list[tuple[int, Section]] = []


def add_section(weight: int, rows: Select, entry: Callable[..., Entry]) -> None:
    """Pages for /sitemap.xml, one for each of `rows` (an ordered statement, read a slice at a
    time), made an Entry by `entry`. Each feature adds its own where its pages are served;
    `weight` places the section after the main navigation's pages (lower first)."""
    _sections.append(
        (
            weight,
            Section(
                lambda: _counted(rows),
                lambda offset, limit: [entry(*row) for row in _slice(rows, offset, limit)],
            ),
        )
    )
    _sections.sort(key=lambda weighed: weighed[0])


def sections() -> list[Section]:
    return [_static_section(), *(section for _, section in _sections)]


def _book_lastmod(updated_at: datetime | None, reviewed_at: datetime | None) -> datetime | None:
    return max((moment for moment in (updated_at, reviewed_at) if moment), default=None)


add_section(
    20,
    select(Shelf.slug, func.max(Book.updated_at))
    .outerjoin(book_shelves, book_shelves.c.shelf_id == Shelf.id)
    .outerjoin(Book, (Book.id == book_shelves.c.book_id) & Book.hidden.is_(False))
    .group_by(Shelf.id, Shelf.slug)
    .order_by(Shelf.id),
    lambda slug, changed: Entry("public.shelf_page", {"slug": slug}, changed),
)
# Reviewers with a published review of a book the public sees, and their latest publication.
add_section(
    30,
    select(Review.reviewer_id, func.max(func.coalesce(Review.revised_at, Review.published_at)))
    .join(Book, Book.id == Review.book_id)
    .where(Review.published_body.is_not(None), Book.hidden.is_(False))
    .group_by(Review.reviewer_id)
    .order_by(Review.reviewer_id),
    lambda reviewer_id, changed: Entry(
        "public.reviewer_page", {"reviewer_id": reviewer_id}, changed
    ),
)
# Every event, past ones too: its page stays (a cancelled one says so).
add_section(
    35,
    select(Event.id, Event.updated_at).order_by(Event.id),
    lambda event_id, changed: Entry("public.event_page", {"event_id": event_id}, changed),
)
add_section(
    40,
    _visible(select(Book.id, Book.updated_at, Book.last_reviewed_at)).order_by(Book.id),
    lambda book_id, updated, reviewed: Entry(
        "public.book_page", {"book_id": book_id}, _book_lastmod(updated, reviewed)
    ),
)


class Sitemap(NamedTuple):
    """The sections' sizes, read once: how many files the addresses need, and each file's."""

    sizes: list[int]
    per_file: int

    @classmethod
    def counted(cls, per_file: int) -> "Sitemap":
        return cls([section.size() for section in sections()], per_file)

    @property
    def file_count(self) -> int:
        return max(1, math.ceil(sum(self.sizes) / self.per_file))

    @property
    def needs_an_index(self) -> bool:
        return self.file_count > 1

    def file(self, number: int) -> list[Entry]:
        """The addresses in file `number` (from 1): a slice across the sections in order."""
        skip, wanted = (number - 1) * self.per_file, self.per_file
        entries: list[Entry] = []
        for section, size in zip(sections(), self.sizes, strict=True):
            if skip >= size:
                skip -= size
                continue
            entries += section.entries(skip, wanted - len(entries))
            skip = 0
            if len(entries) >= wanted:
                break
        return entries
