"""Pages of results: how many there are, which one is shown, and the rows on it."""

import math
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


def paginate(statement: Select[Item], page: int, per_page: int) -> Page[Item]:
    """One page of an ordered query; a page past the end shows the last page."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = db.session.execute(counted).scalar_one()
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def page_of(items: list[Item], page: int, per_page: int) -> Page[Item]:
    """One page of a list already in order; a page past the end shows the last page."""
    page = min(max(1, page), max(1, math.ceil(len(items) / per_page)))
    start = (page - 1) * per_page
    return Page(
        items=items[start : start + per_page], total=len(items), page=page, per_page=per_page
    )
