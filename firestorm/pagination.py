"""Pages of results: how many there are, which one is shown, and the rows on it."""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select

from firestorm.database import db
from firestorm.typed_text import whole_number

Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    total: int
    page: int
    per_page: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count


def page_number(typed: str | None) -> int:
    """The page asked for in a query string; anything odd (-3, "x", 10**30) means page 1."""
    return max(1, whole_number(typed, digits=6) or 1)


def paginate(statement: Select[Item], page: int, per_page: int, kept_as_of: str = "") -> Page[Item]:
    """One page of an ordered query; a page past the end shows the last page.

    kept_as_of: the last change's token (web/last_change.py), from a page that writes
    nothing: the list's length is then counted once per change rather than on every page of
    it (at 100,000 books, counting is most of a deep page's work).
    """
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = _kept_totals.get(counted, kept_as_of) if kept_as_of else None
    if total is None:
        total = db.session.execute(counted).scalar_one()
        if kept_as_of:
            _kept_totals.keep(counted, kept_as_of, total)
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


class KeptTotals:
    """Each worker's lengths of the lists counted since the last change, by their count
    query: a change (a new token) forgets them all. A few hundred at most, like the pages
    web/caching.py keeps; the oldest go first."""

    ROOM = 500

    def __init__(self) -> None:
        self.token = ""
        self.totals: OrderedDict[str, int] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def _key(counted: Select) -> str:
        compiled = counted.compile(dialect=db.engine.dialect)
        return f"{compiled}\n{sorted(compiled.params.items())!r}"

    def get(self, counted: Select, token: str) -> int | None:
        with self.lock:
            return self.totals.get(self._key(counted)) if token == self.token else None

    def keep(self, counted: Select, token: str, total: int) -> None:
        key = self._key(counted)
        with self.lock:
            if token != self.token:
                self.token, self.totals = token, OrderedDict()
            self.totals[key] = total
            while len(self.totals) > self.ROOM:
                self.totals.popitem(last=False)


_kept_totals = KeptTotals()


def page_of(items: list[Item], page: int, per_page: int) -> Page[Item]:
    """One page of a list already in order; a page past the end shows the last page."""
    page = min(max(1, page), max(1, math.ceil(len(items) / per_page)))
    start = (page - 1) * per_page
    return Page(
        items=items[start : start + per_page], total=len(items), page=page, per_page=per_page
    )
