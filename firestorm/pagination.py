"""Pages of results: how many there are, which one is shown, and the rows on it."""

import math
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Column, ColumnElement, Select, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from firestorm.database import db
from firestorm.typed_text import whole_number

Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    total: int
    page: int
    per_page: int
    # More rows than `total` were found, and only the first `total` are listed.
    more: bool = False

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


def paginate(
    statement: Select[Item],
    page: int,
    per_page: int,
    kept_as_of: str = "",
    keys: list[Select] | None = None,
    counted: Select | None = None,
    most: int | None = None,
) -> Page[Item]:
    """One page of an ordered query; a page past the end shows the last page.

    kept_as_of: the last change's token (web/last_change.py), from a page that writes
    nothing: the list's length is then counted once per change rather than on every page of
    it (at 100,000 books, counting is most of a deep page's work).
    keys: the list's primary keys in its order, from fewer tables than the list (a shelf's
    places rather than its books): counted and walked, and `statement` then only loads
    the rows of the page by key (select(Book) with what it loads with them). In parts,
    listed one after the other, each in its own order (a search's best tier, then the
    rest): a page walks only the parts it shows. Most lists are one part.
    counted: the list's length, where it can be counted quicker than by its keys (a
    search's matches, from the search index alone); counted no further than `most` + 1.
    most: list no more rows than this (the best matches of a search), and say if there are
    more: the list is counted only that far.
    """
    primary_key = _primary_key_of(statement)
    if keys is None and primary_key is not None:
        keys = [statement.with_only_columns(primary_key)]
    parts = keys or []
    if counted is None:
        # The keys alone: counting the whole statement would count its eager joins too.
        counts = [_count_of(part, most) for part in parts] or [_count_of(statement, most)]
        counted = select(sum(counts[1:], counts[0]))
    kept_as = KeptTotals.key_of(counted) if kept_as_of else None
    total = _kept_totals.get(kept_as, kept_as_of) if kept_as is not None else None
    if total is None:
        total = db.session.execute(counted).scalar_one()
        if kept_as is not None:
            _kept_totals.keep(kept_as, kept_as_of, total)
    more = False
    if most is not None and total > most:
        total, more = most, True
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    offset = (page - 1) * per_page
    # A list counted up to `most` stops there, though it goes on.
    limit = min(per_page, total - offset)
    if limit <= 0:
        items = []
    elif not parts or primary_key is None:
        # Not a list of one kind of row with a one-column key: one query, as it comes.
        items = list(db.session.scalars(statement.limit(limit).offset(offset)))
    elif len(parts) == 1 and not more:
        page_keys = _keys_of_page(parts[0], limit, offset, total)
        items = _rows_of_page(statement, primary_key, page_keys)
    else:
        # In parts, or a list longer than its total: walked from the beginning.
        items = _rows_of_page(statement, primary_key, _keys_in_parts(parts, limit, offset))
    return Page(items=items, total=total, page=page, per_page=per_page, more=more)


def _count_of(listed: Select, most: int | None = None) -> ColumnElement[int]:
    """The number of rows listed; with `most`, no further than one more than that."""
    if most is not None:
        listed = listed.limit(most + 1)
    return select(func.count()).select_from(listed.order_by(None).subquery()).scalar_subquery()


def _primary_key_of(statement: Select) -> Column | None:
    """The key of the statement's rows: one kind of row with a one-column key, else None."""
    entity = statement.column_descriptions[0].get("entity")
    primary_keys: tuple = sa_inspect(entity).primary_key if entity is not None else ()
    if len(statement.column_descriptions) != 1 or len(primary_keys) != 1:
        return None
    return primary_keys[0]


def _rows_of_page(statement: Select[Item], primary_key: Column, page_keys: list) -> list[Item]:
    """The page's rows, in two steps: their keys were walked first in the list's order (from
    an index where the list has one, so an OFFSET skips index entries and reads no row, nor
    any row of a joined table, that it passes); now the rows themselves are read by key, put
    in the keys' order, with what their statement loads with them."""
    if not page_keys:
        return []
    rows = db.session.scalars(statement.where(primary_key.in_(page_keys)).order_by(None))
    place = {key: number for number, key in enumerate(page_keys)}
    key_name = primary_key.key
    return sorted(rows, key=lambda row: place[getattr(row, key_name)])


def _keys_of_page(walk: Select, limit: int, offset: int, total: int) -> list:
    """The page's keys. Past the middle of the list they are walked from its end, in the
    opposite order, so that no page skips more than half the list: the last page is as
    quick as the first."""
    turned = _turned_round(walk) if offset > total // 2 else None
    if turned is None:
        return list(db.session.scalars(walk.limit(limit).offset(offset)))
    from_the_end = total - offset - limit  # rows after this page; below 0 on a short last page
    walked = turned.limit(limit + min(0, from_the_end)).offset(max(0, from_the_end))
    return list(db.session.scalars(walked))[::-1]


def _keys_in_parts(parts: list[Select], limit: int, offset: int) -> list:
    """The page's keys from the parts, one after the other. A part that ends before the page
    gives none, and is then counted to know where in the next one the page starts; a part
    after the page is not read."""
    keys: list = []
    for part in parts:
        found = list(db.session.scalars(part.limit(limit - len(keys)).offset(offset)))
        keys += found
        if len(keys) == limit:
            break
        # The next part starts the page's rest: at its beginning, or as far into it as the
        # page starts after this part's end (counted only then: an empty part needs no count).
        if offset > 0 and not found:
            offset -= db.session.execute(select(_count_of(part))).scalar_one()
        else:
            offset = 0
    return keys


def _turned_round(walk: Select) -> Select | None:
    """The walk in the opposite order, when its order ends with its key (so that it is one
    order, ties and all, and walks back the same way); else None."""
    # Select has no public reader of its ORDER BY; sqlakeyset reads this attribute too.
    clauses = walk._order_by_clauses
    if not clauses or not _column_of(clauses[-1]).compare(walk.selected_columns[0]):
        return None
    return walk.order_by(None).order_by(*map(_opposite, clauses))


def _column_of(clause: ColumnElement) -> ColumnElement:
    while isinstance(clause, UnaryExpression) and clause.modifier in _ORDER_MODIFIERS:
        clause = clause.element
    return clause


def _opposite(clause: ColumnElement) -> ColumnElement:
    """ASC for DESC and the other way, NULLS FIRST for NULLS LAST and the other way: read
    backwards, an index in one order gives the other."""
    nulls = None
    if isinstance(clause, UnaryExpression) and clause.modifier in _NULLS_ORDERS:
        nulls, clause = clause.modifier, clause.element
    descending = isinstance(clause, UnaryExpression) and clause.modifier is operators.desc_op
    turned = _column_of(clause).asc() if descending else _column_of(clause).desc()
    if nulls is operators.nulls_last_op:
        return turned.nulls_first()
    if nulls is operators.nulls_first_op:
        return turned.nulls_last()
    return turned


_NULLS_ORDERS = {operators.nulls_first_op, operators.nulls_last_op}
_ORDER_MODIFIERS = {operators.asc_op, operators.desc_op, *_NULLS_ORDERS}


class KeptTotals:
    """Each worker's lengths of the lists counted since the last change, by their count
    query: a change (a new token) forgets them all. A few hundred at most, like the pages
    web/caching.py keeps; the oldest go first."""

    ROOM = 500

    def __init__(self) -> None:
        self.token = ""
        self.totals: OrderedDict[Hashable, int] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key_of(counted: Select) -> Hashable | None:
        """The count query's shape and values, or None where SQLAlchemy cannot key it (it is
        then counted each time). The shape is SQLAlchemy's own key for its cache of compiled
        statements (no public reader): compiling the query to key it took longer than most
        counts."""
        shape = counted._generate_cache_key()
        if shape is None:
            return None
        values = (bound.effective_value for bound in shape.bindparams)
        return shape.key, tuple(map(_hashable, values))

    def get(self, key: Hashable, token: str) -> int | None:
        with self.lock:
            return self.totals.get(key) if token == self.token else None

    def keep(self, key: Hashable, token: str, total: int) -> None:
        with self.lock:
            if token != self.token:
                self.token, self.totals = token, OrderedDict()
            self.totals[key] = total
            while len(self.totals) > self.ROOM:
                self.totals.popitem(last=False)


def _hashable(value: object) -> Hashable:
    # An IN's values come as a list.
    return tuple(value) if isinstance(value, list) else value


_kept_totals = KeptTotals()


def page_of(items: list[Item], page: int, per_page: int) -> Page[Item]:
    """One page of a list already in order; a page past the end shows the last page."""
    page = min(max(1, page), max(1, math.ceil(len(items) / per_page)))
    start = (page - 1) * per_page
    return Page(
        items=items[start : start + per_page], total=len(items), page=page, per_page=per_page
    )
