"""Stock through the pages (firestorm/collective/stock_routes.py): +1, −1 and "set to N" with
a reason, in place with htmx and as plain forms coming back where they were posted from; the
refusals next to what was typed; the stock history page; who may do any of it. The rules
themselves: test_stock.py; two members at once: test_stock_races.py."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import HTMX, NOW, not_found_page, page_text, token_of

from firestorm.catalog import stock
from firestorm.catalog.models import Book, StockChange
from firestorm.database import db


def stock_path(book_id: int) -> str:
    return f"/collective/books/{book_id}/stock"


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


@pytest.fixture
def sam(client, login_as, clock):
    """Sam, a collective member, signed in; the pages' clock at NOW (10am at the store)."""
    clock(NOW)
    return login_as("collective", display_name="Sam")


@pytest.fixture
def shelf(app):
    """shelf.stock(book) and shelf.log(book): the stock and its changes, oldest first, as the
    database holds them."""

    class Shelf:
        @staticmethod
        def stock(book) -> int:
            with app.app_context():
                return db.session.get(Book, book.id).stock

        @staticmethod
        def log(book) -> list[tuple]:
            with app.app_context():
                changes = db.session.scalars(
                    db.select(StockChange)
                    .where(StockChange.book_id == book.id)
                    .order_by(StockChange.id)
                )
                return [
                    (c.delta, c.stock_after, c.reason, c.changed_by_id, c.created_at)
                    for c in changes
                ]

    return Shelf


def input_tag(page: str, field_id: str) -> str:
    """The <input> with that id, as the page writes it."""
    return re.search(rf'<input [^>]*id="{field_id}"[^>]*>', page).group(0)


def changed(app, book, *deltas, member=None, at=NOW):
    """Changes made earlier, through the domain, one per delta, a minute apart."""
    with app.app_context():
        for minute, delta in enumerate(deltas):
            when = at + timedelta(minutes=minute)
            stock.change_stock(book.id, delta, f"Change {minute + 1}", member, when)
        db.session.commit()


# --- The controls where they are drawn -----------------------------------------------------


def test_members_get_the_controls_on_the_book_page_and_the_public_only_the_words(
    client, book, sam, login_as
):
    page = page_text(client.get(f"/books/{book.id}"))

    path = stock_path(book.id)
    assert f'<div id="stock-{book.id}" class="stock-controls">' in page
    assert '<p class="stock stock-now">2 copies in stock</p>' in page
    assert page.count(f'action="{path}" method="post"') == 2
    assert page.count(f'hx-post="{path}" hx-target="#stock-{book.id}" hx-swap="outerHTML"') == 2
    assert page.count(f'<input type="hidden" name="next" value="/books/{book.id}">') == 2
    assert f'id="stock-{book.id}-add" name="step" value="1"' in page
    assert '+1<span class="visually-hidden"> copy of Dispersing Power: a delivery</span>' in page
    assert f'id="stock-{book.id}-take" name="step" value="-1"' in page
    assert f'<label for="stock-count-{book.id}">Set the stock to</label>' in page
    assert f'<label for="stock-reason-{book.id}">Reason</label>' in page
    assert f'<a href="{path}">Stock history<span class="visually-hidden"> of Dispersing' in page

    for role in ("volunteer", None):
        if role:
            login_as(role)
        else:
            client.post("/logout", data={"csrf_token": token_of(client)})
        public = page_text(client.get(f"/books/{book.id}"))
        assert "2 copies in stock" in public
        assert "stock-controls" not in public and path not in public


def test_the_controls_keep_the_query_of_the_page_they_are_on(client, book, sam):
    page = page_text(client.get(f"{stock_path(book.id)}?page=1"))

    assert f'name="next" value="{stock_path(book.id)}?page=1"' in page


# --- +1 and −1 -----------------------------------------------------------------------------


def test_plus_one_without_javascript_comes_back_to_the_book_page(
    client, app, book, sam, post, shelf
):
    response = post(stock_path(book.id), {"step": "1", "next": f"/books/{book.id}"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/books/{book.id}"
    page = page_text(client.get(f"/books/{book.id}"))
    assert "“Dispersing Power”: +1 (Delivery). 3 copies in stock now." in page
    assert '<p class="stock stock-now">3 copies in stock</p>' in page
    assert shelf.log(book) == [(1, 3, "Delivery", sam.id, NOW)]


def test_minus_one_with_htmx_redraws_the_controls_and_the_flash_in_place(
    client, book, sam, post, shelf
):
    response = post(stock_path(book.id), {"step": "-1", "next": f"/books/{book.id}"}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith(f'<div id="stock-{book.id}" class="stock-controls">')
    assert '<p class="stock stock-now">1 copy in stock</p>' in page
    # Focus stays on the button pressed, for the next press.
    assert f'id="stock-{book.id}-take" name="step" value="-1" class="button-quiet" autofocus>' in (
        page
    )
    assert f'name="next" value="/books/{book.id}"' in page
    assert '<div id="flash-messages" class="flash-messages" hx-swap-oob="true">' in page
    assert "“Dispersing Power”: −1 (Sold or given away). 1 copy in stock now." in page
    assert "HX-Request-Type" in response.vary
    assert shelf.log(book) == [(-1, 1, "Sold or given away", sam.id, NOW)]
    # The flash was said once, in place: the next page does not say it again.
    assert "1 copy in stock now." not in page_text(client.get(f"/books/{book.id}"))


def test_the_last_copy_taken_says_out_of_stock(client, make_book, sam, post):
    book = make_book("Emergent Strategy", stock=1)

    response = post(stock_path(book.id), {"step": "-1"}, htmx=True)

    page = page_text(response)
    assert '<p class="stock stock-now stock-out">Out of stock — ask us to order it</p>' in page
    assert "“Emergent Strategy”: −1 (Sold or given away). No copies in stock now." in page


def test_minus_one_at_zero_is_refused_with_the_reason(make_book, sam, post, shelf):
    book = make_book("Emergent Strategy", stock=0)

    for htmx in (True, False):
        response = post(stock_path(book.id), {"step": "-1", "next": "/collective/books"}, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 422
        assert (
            '<p class="problem" role="alert">No copies left to take off: the stock is at zero '
            "and can&#39;t go below.</p>"
        ) in page
        assert "Out of stock — ask us to order it" in page
        # The controls still go back where they came from after the next change.
        assert 'name="next" value="/collective/books"' in page
    assert "<h1>Stock of “Emergent Strategy”</h1>" in page
    assert (shelf.stock(book), shelf.log(book)) == (0, [])


@pytest.mark.parametrize("step", ["2", "-5", "abc", "", "0"])
def test_a_button_value_other_than_one_is_refused(book, sam, post, shelf, step):
    response = post(stock_path(book.id), {"step": step}, htmx=True)

    assert response.status_code == 422
    assert "Add or take off one copy with the +1 and −1 buttons." in page_text(response)
    assert (shelf.stock(book), shelf.log(book)) == (2, [])


# --- Set to N, with a reason ---------------------------------------------------------------


def test_setting_the_count_with_a_reason_logs_the_difference(client, book, sam, post, shelf):
    response = post(
        stock_path(book.id),
        {"count": "7", "reason": "Counted the shelf", "next": "/collective/books?q=power"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/collective/books?q=power"
    assert shelf.log(book) == [(5, 7, "Counted the shelf", sam.id, NOW)]
    flashed = page_text(client.get(f"/books/{book.id}"))
    assert "“Dispersing Power”: +5 (Counted the shelf). 7 copies in stock now." in flashed


def test_setting_the_count_with_htmx_closes_the_form_with_focus_on_it(book, sam, post, shelf):
    response = post(stock_path(book.id), {"count": " 0 ", "reason": "Water damage"}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "Out of stock — ask us to order it" in page
    assert '<details class="stock-set">' in page
    assert f'<summary id="stock-{book.id}-set" autofocus>' in page
    assert 'value=""' in input_tag(page, f"stock-count-{book.id}")
    assert "“Dispersing Power”: −2 (Water damage). No copies in stock now." in page
    assert shelf.log(book) == [(-2, 0, "Water damage", sam.id, NOW)]


def test_setting_the_count_it_has_already_says_nothing_changed(client, book, sam, post, shelf):
    response = post(stock_path(book.id), {"count": "2", "reason": "Counted"})

    assert response.status_code == 302
    assert "“Dispersing Power” has 2 copies already: nothing changed." in page_text(
        client.get(response.headers["Location"])
    )
    assert shelf.log(book) == []


COUNT_RULE = "Give a number of copies from 0 to 100,000."
NO_REASON = "Say why the stock changes (a delivery, a sale, a count)."


@pytest.mark.parametrize(
    ("count", "reason", "field", "message"),
    [
        ("", "Counted", "count", COUNT_RULE),
        ("ten", "Counted", "count", COUNT_RULE),
        ("3.5", "Counted", "count", COUNT_RULE),
        ("-3", "Counted", "count", COUNT_RULE),
        ("100001", "Counted", "count", COUNT_RULE),
        ("99999999999999999999999999", "Counted", "count", COUNT_RULE),
        ("9" * 5000, "Counted", "count", COUNT_RULE),
        ("5", "", "reason", NO_REASON),
        ("5", "   ", "reason", NO_REASON),
        ("5", "x" * 201, "reason", "Keep the reason under 200 characters."),
    ],
    ids=[
        "empty",
        "words",
        "fraction",
        "negative",
        "too-many",
        "huge",
        "thousands-of-digits",
        "no-reason",
        "blank-reason",
        "long-reason",
    ],
)
def test_a_refused_count_comes_back_as_typed_with_the_reason_next_to_the_field(
    book, sam, post, shelf, count, reason, field, message
):
    typed = {"count": count, "reason": reason, "next": f"/books/{book.id}"}

    for htmx in (True, False):
        response = post(stock_path(book.id), typed, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 422
        field_id = f"stock-{field}-{book.id}"
        assert f'<ul id="{field_id}-errors" class="field-errors">' in page
        assert f"<li>{message}</li>" in page
        refused_field = input_tag(page, field_id)
        assert 'aria-invalid="true"' in refused_field and " autofocus " in refused_field
        assert '<details class="stock-set" open>' in page
        assert f'value="{count}"' in input_tag(page, f"stock-count-{book.id}")
        assert f'value="{reason}"' in input_tag(page, f"stock-reason-{book.id}")
        assert f'name="next" value="/books/{book.id}"' in page
    # Without JavaScript, the refusal is drawn on the stock history page.
    assert "<h1>Stock of “Dispersing Power”</h1>" in page and "<html" in page
    assert (shelf.stock(book), shelf.log(book)) == (2, [])


# --- Where a plain post goes back to -------------------------------------------------------


@pytest.mark.parametrize(
    "next_path",
    [None, "", "//evil.example/", "https://evil.example/", "/\\evil.example", "books", "/\t/x"],
)
def test_a_plain_post_goes_back_only_to_a_page_of_this_site(book, sam, post, next_path):
    data = {"step": "1"} if next_path is None else {"step": "1", "next": next_path}

    response = post(stock_path(book.id), data)

    assert response.status_code == 302
    assert response.headers["Location"] == stock_path(book.id)


def test_a_book_that_does_not_exist_is_a_404(client, sam, post):
    not_found_page(client.get(stock_path(999_999)))
    for data in ({"step": "1"}, {"count": "3", "reason": "Counted"}, {"count": "x"}):
        for htmx in (False, True):
            not_found_page(post(stock_path(999_999), data, htmx=htmx))


# --- The public page afterwards ------------------------------------------------------------


def test_the_public_reads_the_new_stock_after_a_change(app, book, sam, post):
    visitor = app.test_client()
    assert "2 copies in stock" in page_text(visitor.get(f"/books/{book.id}"))

    post(stock_path(book.id), {"step": "-1"}, htmx=True)
    assert "1 copy in stock" in page_text(visitor.get(f"/books/{book.id}"))
    assert "1 copy in stock" in page_text(visitor.get("/books"))

    post(stock_path(book.id), {"count": "0", "reason": "Sold the last at the fair"})
    public = page_text(visitor.get(f"/books/{book.id}"))
    assert "Out of stock — ask us to order it" in public
    assert "stock-controls" not in public


# --- The stock history page ----------------------------------------------------------------


def test_the_history_page_lists_each_change_newest_first(client, app, book, sam, make_user, post):
    mara = make_user("collective", display_name="Mara")
    changed(app, book, 5, member=None, at=NOW - timedelta(days=1))
    changed(app, book, -1, member=mara.id, at=NOW - timedelta(hours=1))
    post(stock_path(book.id), {"count": "3", "reason": "Counted <em>the</em> shelf"})

    page = page_text(client.get(stock_path(book.id)))

    assert "<title>Stock of Dispersing Power ·" in page
    assert "<h1>Stock of “Dispersing Power”</h1>" in page
    assert f'<a href="/books/{book.id}">The book\'s page</a>' in page
    assert f'<div id="stock-{book.id}" class="stock-controls">' in page
    assert '<p class="stock stock-now">3 copies in stock</p>' in page
    assert "Stock history<span" not in page  # no link to the page itself
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    cells = [
        [cell.split(">", 1)[1].split("</td>")[0] for cell in row.split("<td")[1:]] for row in rows
    ]
    assert cells == [
        [
            '<time datetime="2026-11-24T15:00:00+00:00">Nov 24, 2026, 10am</time>',
            "Sam",
            "−3",
            "Counted &lt;em&gt;the&lt;/em&gt; shelf",
            "3",
        ],
        [
            '<time datetime="2026-11-24T14:00:00+00:00">Nov 24, 2026, 9am</time>',
            "Mara",
            "−1",
            "Change 1",
            "6",
        ],
        [
            '<time datetime="2026-11-23T15:00:00+00:00">Nov 23, 2026, 10am</time>',
            "From the command line",
            "+5",
            "Change 1",
            "7",
        ],
    ]


def test_a_book_with_no_changes_says_so(client, book, sam):
    page = page_text(client.get(stock_path(book.id)))

    assert "No changes to the stock yet." in page
    assert "<table" not in page


def test_a_long_history_comes_a_page_at_a_time(client, app, book, sam, monkeypatch):
    monkeypatch.setitem(app.config, "STOCK_CHANGES_PER_PAGE", 2)
    changed(app, book, 1, 1, 1, 1, 1)

    first = page_text(client.get(stock_path(book.id)))
    last = page_text(client.get(f"{stock_path(book.id)}?page=3"))

    assert first.count('class="stock-reason"') == 2
    assert "Change 5" in first and "Change 4" in first and "Change 3" not in first
    assert "Page 1 of 3" in first
    assert f'<a rel="next" href="{stock_path(book.id)}?page=2">' in first
    assert last.count('class="stock-reason"') == 1 and "Change 1" in last
    assert "Page 3 of 3" in last


def test_a_change_from_the_history_page_redraws_its_table_in_place(client, app, book, sam, post):
    changed(app, book, 1, at=NOW - timedelta(hours=1))

    response = post(stock_path(book.id), {"step": "1", "next": stock_path(book.id)}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert f'<section id="stock-history-{book.id}" class="stock-history"' in page
    assert 'hx-swap-oob="true"' in page.split(f'<section id="stock-history-{book.id}"')[1]
    assert page.index(">Sam</td>") < page.index(">From the command line</td>")
    # From the book's page, no table comes back: that page has none.
    elsewhere = post(stock_path(book.id), {"step": "1", "next": f"/books/{book.id}"}, htmx=True)
    assert f"stock-history-{book.id}" not in page_text(elsewhere)


def test_the_history_page_makes_the_same_queries_for_one_change_or_many(
    client, app, book, sam, make_user, count_queries
):
    changed(app, book, 1, member=sam.id)
    with count_queries() as with_one:
        assert client.get(stock_path(book.id)).status_code == 200
    for n in range(6):
        member = make_user("collective", display_name=f"Member {n}")
        changed(app, book, 2, -1, member=member.id, at=NOW + timedelta(hours=n))
    changed(app, book, 3, member=None)

    with count_queries() as with_many:
        page = page_text(client.get(stock_path(book.id)))

    assert page.count('class="stock-reason"') == 14
    assert "Member 5" in page and "From the command line" in page
    assert len(with_many) == len(with_one)


# --- Who may ---------------------------------------------------------------------------------


def routes(book_id):
    return [("GET", stock_path(book_id)), ("POST", stock_path(book_id))]


def test_strangers_are_sent_to_sign_in_and_nothing_changes(client, book, shelf):
    token = token_of(client)

    for method, path in routes(book.id):
        response = client.open(path, method=method, data={"csrf_token": token, "step": "1"})

        assert response.status_code == 302, method
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path])
    assert (shelf.stock(book), shelf.log(book)) == (2, [])


def test_a_stranger_changing_the_stock_with_htmx_is_told_in_place(client, book, shelf):
    for data in ({"step": "-1"}, {"count": "9", "reason": "Counted"}):
        response = client.post(
            stock_path(book.id), data={"csrf_token": token_of(client), **data}, headers=HTMX
        )

        assert response.status_code == 401
        assert "You're signed out." in page_text(response)
        assert "<html" not in page_text(response)
    assert (shelf.stock(book), shelf.log(book)) == (2, [])


def test_volunteers_may_not_see_or_change_the_stock(client, book, login_as, post, shelf):
    login_as("volunteer")

    assert client.get(stock_path(book.id)).status_code == 403
    for htmx in (False, True):
        assert post(stock_path(book.id), {"step": "1"}, htmx=htmx).status_code == 403
        response = post(stock_path(book.id), {"count": "9", "reason": "Mine"}, htmx=htmx)
        assert response.status_code == 403
    assert (shelf.stock(book), shelf.log(book)) == (2, [])


def test_a_change_without_the_csrf_token_is_refused(client, book, sam, shelf):
    for headers in ({}, HTMX):
        response = client.post(stock_path(book.id), data={"step": "1"}, headers=headers)

        assert response.status_code == 400
    assert (shelf.stock(book), shelf.log(book)) == (2, [])


def test_htmx_posts_carry_the_csrf_token_in_the_header_from_the_body(client, book, sam, shelf):
    page = page_text(client.get(f"/books/{book.id}"))
    token = page.split('{"X-CSRFToken": "')[1].split('"')[0]

    response = client.post(
        stock_path(book.id), data={"step": "1"}, headers={**HTMX, "X-CSRFToken": token}
    )

    assert response.status_code == 200
    assert shelf.stock(book) == 3


def test_a_get_changes_nothing(client, book, sam, shelf):
    client.get(f"{stock_path(book.id)}?step=1&count=9&reason=x")
    client.head(stock_path(book.id))

    assert (shelf.stock(book), shelf.log(book)) == (2, [])


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_stock_pages_are_valid_html(tmp_path, client, app, book, sam, post, nu_html_checker):
    pages = {"empty-history": client.get(stock_path(book.id))}
    changed(app, book, 1, -1, 4)
    changed(app, book, 2, member=sam.id, at=datetime(2026, 12, 1, tzinfo=UTC))
    pages["history"] = client.get(stock_path(book.id))
    pages["book-page-for-a-member"] = client.get(f"/books/{book.id}")
    pages["refused-count"] = post(stock_path(book.id), {"count": "ten", "reason": ""})
    pages["refused-reason"] = post(stock_path(book.id), {"count": "1", "reason": " "})
    empty = app.test_client()
    pages["book-page-for-the-public"] = empty.get(f"/books/{book.id}")
    for name, response in pages.items():
        assert response.status_code in (200, 422), name

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
