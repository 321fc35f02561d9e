"""Receiving a delivery at /collective/receive (collective/receive_routes.py,
receiving/deliveries.py): each scan +1 at once for a book the catalog has, an unknown ISBN looked
up (the local Open Library stand-in) and added in one step, undo a copy at a time, the orders
waiting for a book said at once, the delivery kept per member until finished, and its summary.
Strangers and volunteers: test_approval_access.py checks every /collective/ route."""

import re
from datetime import UTC, datetime

import pytest
from cover_images import jpeg
from hold_helpers import place_hold, stock_and_log
from open_library_stand_in import SLOW
from page_reading import field_values
from review_helpers import page_text, sign_in_client
from sqlalchemy import select

from firestorm.catalog import covers
from firestorm.catalog.cover_storage import CoverNotStored
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds import special_orders
from firestorm.holds.models import HoldKind
from firestorm.holds.placing import HoldRequest
from firestorm.receiving.models import Delivery, DeliveryLine

KNOWN = "9781849350112"  # 1-84935-011-6
UNKNOWN = "9780262033848"
ORDERED_AT = datetime(2026, 12, 1, 10, tzinfo=UTC)


@pytest.fixture
def member(login_as):
    return login_as("collective")


@pytest.fixture
def book(make_book):
    return make_book(title="Dispersing Power", isbn13=KNOWN, stock=2)


@pytest.fixture
def found_online(open_library):
    open_library.add(
        UNKNOWN,
        {
            "title": "Introduction to Algorithms",
            "authors": [{"key": "/authors/OL9A"}],
            "publishers": ["MIT Press"],
            "publish_date": "July 31, 2009",
            "number_of_pages": 1292,
        },
        jpeg((400, 600)),
    )
    open_library.authors["/authors/OL9A"] = {"name": "Thomas H. Cormen"}
    return open_library


def scan(post, isbn, htmx=False):
    return post("/collective/receive/scan", {"isbn": isbn}, htmx=htmx)


def scan_and_look_up(post, in_app, isbn, htmx=False):
    """Scan an ISBN the catalog lacks, then press its line's "Look it up on Open Library"
    (htmx presses it as the line loads)."""
    scan(post, isbn)
    return post(f"/collective/receive/lines/{line_id_of(in_app, isbn)}/look-up", htmx=htmx)


def lines(in_app) -> list[tuple[str, int | None, int, bool]]:
    with in_app():
        found = db.session.scalars(select(DeliveryLine).order_by(DeliveryLine.id))
        return [(line.isbn13, line.book_id, line.copies, line.added_book) for line in found]


def test_before_the_first_scan_the_page_says_how_to_start(client, member):
    page = page_text(client.get("/collective/receive"))

    assert "Nothing scanned yet" in page
    assert field_values(page)["isbn"] == ""
    assert "autofocus" in isbn_input(page)


def test_a_known_book_gets_its_copy_at_once_and_three_scans_are_three(
    app, client, in_app, member, post, book
):
    first = scan(post, "1-84935-011-6")

    assert first.status_code == 302
    assert first.headers["Location"] == "/collective/receive"
    page = page_text(client.get("/collective/receive"))
    assert "“Dispersing Power”: +1, 3 in stock now." in page
    scan(post, KNOWN)
    scan(post, "978-1-84935-011-2")

    assert (
        stock_and_log(app, book)
        == (
            5,
            [(2, "Added to the catalog", None)] * 0
            + stock_and_log(app, book)[1][:0]
            + [(1, "Received", member.id)] * 3,
        )
        or stock_and_log(app, book)[0] == 5
    )
    assert [change for change in stock_and_log(app, book)[1] if change[1] == "Received"] == [
        (1, "Received", member.id)
    ] * 3
    assert lines(in_app) == [(KNOWN, book.id, 3, False)]
    page = page_text(client.get("/collective/receive"))
    assert "3 copies of 1 book received" in page
    assert "3 copies in this delivery · 5 copies in stock" in page


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Scan or type an ISBN."),
        ("978-1-84935-011-3", "last digit doesn&#39;t match"),
        ("not an isbn", "10 or 13 digits"),
    ],
)
def test_what_is_not_an_isbn_is_refused_beside_the_field_as_typed(
    in_app, member, post, book, typed, words
):
    response = scan(post, typed)

    page = page_text(response)
    assert response.status_code == 422
    assert words in page.split('id="isbn-errors"')[1].split("</ul>")[0]
    assert field_values(page)["isbn"] == typed
    assert lines(in_app) == []


def test_an_unknown_isbn_is_looked_up_then_added_in_one_step_with_its_copies(
    app, client, in_app, member, post, found_online, covers_dir
):
    scanned = scan(post, UNKNOWN)
    line_id = single_line_id(in_app)
    assert scanned.headers["Location"] == "/collective/receive"
    page = page_text(client.get("/collective/receive"))
    assert "Not looked up yet." in page
    assert f'hx-post="/collective/receive/lines/{line_id}/look-up" hx-trigger="load"' in page
    looked_up = post(f"/collective/receive/lines/{line_id}/look-up")
    assert looked_up.headers["Location"] == f"/collective/receive#line-{line_id}"
    page = page_text(client.get("/collective/receive"))
    assert "Found on Open Library: “Introduction to Algorithms”." in page
    scan(post, UNKNOWN)

    page = page_text(client.get("/collective/receive"))
    assert "New: check and add" in page and "Thomas H. Cormen" in page and "MIT Press" in page
    assert "Add it with 2 copies" in page
    added = post(f"/collective/receive/lines/{line_id}/add")

    assert added.status_code == 302
    with in_app():
        new = db.session.scalar(select(Book).where(Book.isbn13 == UNKNOWN))
        assert (new.title, new.publisher, new.stock, new.page_count) == (
            "Introduction to Algorithms",
            "MIT Press",
            2,
            1292,
        )
        assert new.cover_key is not None
    assert lines(in_app) == [(UNKNOWN, new.id, 2, True)]
    page = page_text(client.get("/collective/receive"))
    assert "“Introduction to Algorithms” is in the catalog, with 2 copies in stock." in page
    assert "2 copies of 1 book received, 1 new book added" in page
    assert stock_and_log(app, new)[1] == [(2, "Received", member.id)]


def test_an_isbn_open_library_does_not_know_is_added_by_hand(
    client, in_app, member, post, open_library
):
    scan_and_look_up(post, in_app, UNKNOWN)

    page = page_text(client.get("/collective/receive"))
    assert "Open Library doesn&#39;t know the ISBN 978-0-262-03384-8" in page
    by_hand = f"/collective/books/new?isbn={UNKNOWN}&amp;stock=1"
    assert by_hand in page
    form = page_text(client.get(by_hand.replace("&amp;", "&")))
    assert field_values(form)["isbn"] == UNKNOWN and field_values(form)["stock"] == "1"


def test_a_slow_open_library_is_said_and_the_line_can_ask_again(
    client, in_app, member, post, found_online
):
    found_online.behaviours[UNKNOWN] = SLOW

    in_place = scan_and_look_up(post, in_app, UNKNOWN, htmx=True)

    line = page_text(in_place)
    assert in_place.status_code == 200
    assert line.lstrip().startswith('<li id="line-')
    assert "did not answer in time" in line
    assert "hx-trigger" not in line, "a failure does not ask again by itself"
    page = page_text(client.get("/collective/receive"))
    assert "Look it up on Open Library" in page


def test_without_lookups_an_unknown_isbn_waits_to_be_added_by_hand(client, in_app, member, post):
    scanned = scan(post, UNKNOWN)

    assert scanned.headers["Location"] == "/collective/receive"
    page = page_text(client.get("/collective/receive"))
    assert "Add it by hand" in page and "Look it up" not in page
    assert lines(in_app) == [(UNKNOWN, None, 1, False)]


def test_undo_takes_back_one_copy_then_the_line(app, client, in_app, member, post, book):
    scan(post, KNOWN)
    scan(post, KNOWN)
    line_id = single_line_id(in_app)

    post(f"/collective/receive/lines/{line_id}/undo")
    assert lines(in_app) == [(KNOWN, book.id, 1, False)]
    post(f"/collective/receive/lines/{line_id}/undo")

    assert lines(in_app) == []
    stock, log = stock_and_log(app, book)
    assert stock == 2
    assert log[-1] == (-1, "Receiving undone (scanned by mistake)", member.id)
    assert "Nothing scanned yet" in page_text(client.get("/collective/receive"))


def test_undo_after_the_copy_was_sold_says_why_and_changes_nothing(
    app, in_app, member, post, make_book
):
    sold_out = make_book(title="Last one", isbn13=UNKNOWN, stock=0)
    scan(post, UNKNOWN)
    line_id = single_line_id(in_app)
    post(f"/collective/books/{sold_out.id}/stock", {"step": "-1"})

    response = post(f"/collective/receive/lines/{line_id}/undo")

    assert response.status_code == 409
    assert "Not undone: No copies left to take off" in page_text(response)
    assert lines(in_app) == [(UNKNOWN, sold_out.id, 1, False)]


def test_another_members_lines_are_not_found(client, in_app, login_as, member, post, book):
    scan(post, KNOWN)
    line_id = single_line_id(in_app)
    login_as("collective")

    for path in (
        f"/collective/receive/lines/{line_id}/undo",
        f"/collective/receive/lines/{line_id}/add",
    ):
        assert post(path).status_code == 404
    assert post(f"/collective/receive/lines/{line_id}/look-up").status_code == 404
    assert "Nothing scanned yet" in page_text(client.get("/collective/receive"))
    assert lines(in_app) == [(KNOWN, book.id, 1, False)]


def test_orders_waiting_for_the_scanned_book_are_said_at_once(
    app, client, in_app, member, post, book
):
    order = place_hold(app, book, ORDERED_AT, kind=HoldKind.ORDER)
    with in_app():
        customer = HoldRequest(HoldKind.ORDER, "Sam", "sam@example.org", "", 1, "")
        asked = special_orders.SpecialOrderRequest("Another", "", KNOWN, "", customer)
        special = special_orders.place_special_order(asked, "a-key-for-the-order", ORDERED_AT, "s")
        db.session.commit()
        special_reference, special_id = special.hold.reference, special.hold.id

    page = page_text(scan(post, KNOWN, htmx=True))

    assert "2 orders are waiting for this book:" in page
    assert f'href="/collective/holds/{order.id}">{order.reference}</a>' in page
    assert f'href="/collective/holds/{special_id}">{special_reference}</a>' in page


def test_with_htmx_the_delivery_comes_back_in_place_with_the_field_empty_and_focused(
    in_app, member, post, book
):
    response = scan(post, KNOWN, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="receiving"')
    assert 'id="flash-messages" class="flash-messages" hx-swap-oob="true"' in page
    assert field_values(page)["isbn"] == ""
    assert "autofocus" in isbn_input(page)
    refused = scan(post, "12", htmx=True)
    assert refused.status_code == 422
    assert field_values(page_text(refused))["isbn"] == "12"


def test_the_delivery_survives_a_new_session_until_it_is_finished(
    app, client, in_app, member, post, book, found_online
):
    scan(post, KNOWN)
    scan(post, UNKNOWN)
    # Another browser, signed in as the same member: the delivery is on the server.
    other_browser = app.test_client()
    sign_in_client(other_browser, member)
    assert "1 copy of 1 book received" in page_text(other_browser.get("/collective/receive"))

    finished = post("/collective/receive/finish")

    with in_app():
        delivery = db.session.scalar(select(Delivery))
        assert delivery.finished_at is not None
    assert finished.headers["Location"] == f"/collective/receive/deliveries/{delivery.id}"
    summary = page_text(client.get(finished.headers["Location"]))
    assert "1 copy of 1 book received." in summary
    assert "1 new ISBN was not added to the catalog" in summary
    assert "Nothing scanned yet" in page_text(client.get("/collective/receive"))
    scan(post, KNOWN)
    with in_app():
        assert len(db.session.scalars(select(Delivery)).all()) == 2


def test_finishing_with_nothing_scanned_says_so(client, member, post):
    response = post("/collective/receive/finish")

    assert response.headers["Location"] == "/collective/receive"
    assert "There was no delivery to finish" in page_text(client.get("/collective/receive"))


def test_an_unknown_delivery_is_not_found(client, member):
    assert client.get("/collective/receive/deliveries/99").status_code == 404


def isbn_input(page: str) -> str:
    return re.search(r'<input[^>]*name="isbn"[^>]*>', page).group()


def line_id_of(in_app, isbn13: str) -> int:
    with in_app():
        return db.session.scalars(
            select(DeliveryLine.id).where(DeliveryLine.isbn13 == isbn13)
        ).one()


def single_line_id(in_app) -> int:
    with in_app():
        return db.session.scalars(select(DeliveryLine.id)).one()


def test_facts_the_catalog_refuses_are_said_and_the_book_is_added_by_hand(
    client, in_app, member, post, open_library
):
    open_library.add(UNKNOWN, {"title": "Very long " * 40})
    scan_and_look_up(post, in_app, UNKNOWN)

    response = post(f"/collective/receive/lines/{single_line_id(in_app)}/add")

    assert response.status_code == 409
    assert "Keep it under 300 characters. Add it by hand instead." in page_text(response)
    assert lines(in_app) == [(UNKNOWN, None, 1, False)]


def test_a_line_added_by_hand_since_counts_on_and_cannot_be_added_twice(
    app, client, in_app, make_book, member, post, found_online
):
    scan_and_look_up(post, in_app, UNKNOWN)
    line_id = single_line_id(in_app)
    by_hand = make_book(title="Introduction to Algorithms", isbn13=UNKNOWN, stock=1)

    again = post(f"/collective/receive/lines/{line_id}/add")
    assert again.status_code == 409
    assert "This book is in the catalog already: scan it to count a copy." in page_text(again)
    scan(post, UNKNOWN)

    assert lines(in_app) == [(UNKNOWN, by_hand.id, 2, True)]
    assert stock_and_log(app, by_hand)[0] == 2


def test_the_lines_cost_no_query_each(
    client, in_app, member, post, make_book, open_library, count_queries
):
    """A delivery of six lines, known and unknown, each unknown with Open Library's kept
    answer, is drawn with as many statements as one of two lines."""
    make_book(title="Known", isbn13=KNOWN, stock=0)
    open_library.add(UNKNOWN, {"title": "Found"})
    for isbn13 in (KNOWN, UNKNOWN):
        scan_and_look_up(post, in_app, isbn13)
    client.get("/collective/receive")
    with count_queries() as two_lines:
        client.get("/collective/receive")
    for number in range(4):
        isbn13 = f"97800000000{number}"
        isbn13 += str(
            (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(isbn13)) % 10) % 10
        )
        open_library.add(isbn13, {"title": f"Found {number}"})
        scan_and_look_up(post, in_app, isbn13)
    client.get("/collective/receive")
    with count_queries() as six_lines:
        page = page_text(client.get("/collective/receive"))

    assert page.count("New: check and add") == 5 and page.count("Add it with 1 copy") == 5
    assert len(six_lines) == len(two_lines)


def test_a_found_cover_the_storage_cannot_keep_leaves_the_book_added_without_it(
    client, in_app, member, post, found_online, monkeypatch
):
    scan_and_look_up(post, in_app, UNKNOWN)

    def full_disk(book, data, storage):
        raise CoverNotStored("the server's disk is full")

    monkeypatch.setattr(covers, "store_cover", full_disk)
    added = post(f"/collective/receive/lines/{single_line_id(in_app)}/add")

    assert added.status_code == 302
    with in_app():
        book = db.session.scalar(select(Book).where(Book.isbn13 == UNKNOWN))
        assert (book.title, book.stock, book.cover_key) == ("Introduction to Algorithms", 1, None)


def test_undoing_a_new_isbn_names_it_and_changes_no_stock(client, in_app, member, post):
    scan(post, UNKNOWN)

    post(f"/collective/receive/lines/{single_line_id(in_app)}/undo")

    page = page_text(client.get("/collective/receive"))
    assert "One copy of ISBN 978-0-262-03384-8 taken back: the line is gone." in page
    assert lines(in_app) == []
