"""The holds desk through its pages (firestorm/collective/hold_routes.py): the lists by state,
ready → collected or cancelled in place with htmx and through plain forms, the customer's
email when a hold is ready, refusals in words (a cancel without a reason, a hold someone moved
first, a list that doesn't exist), the count in the navigation, and who may do any of it. The
rules themselves: test_hold_desk.py."""

import logging
import smtplib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from hold_helpers import hold_now, place_hold, stock_and_log
from html_checks import check_html, describe_html_errors, save_responses
from mail_helpers import FakeSMTP, commits_failing, read_when_mailed
from review_helpers import HTMX, NOW, page_text, token_of
from sqlalchemy import select

from firestorm.catalog import stock
from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import Hold, HoldKind, HoldState

DESK = "/collective/holds"
CUSTOMER = ("Robin Customer", "robin.customer@example.org", "828-555-0134", "After work")


def ready_path(hold) -> str:
    return f"{DESK}/{hold.id}/ready"


def collected_path(hold) -> str:
    return f"{DESK}/{hold.id}/collected"


def cancel_path(hold) -> str:
    return f"{DESK}/{hold.id}/cancel"


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=10)


@pytest.fixture
def hold(app, book):
    return place_hold(app, book, NOW - timedelta(hours=2), quantity=2)


@pytest.fixture
def sam(client, login_as, clock):
    """Sam, a collective member, signed in; the pages' clock at NOW (10am at the store)."""
    clock(NOW)
    return login_as("collective", display_name="Sam")


def moved_by(app, member, action, hold, *args):
    """A step another member took earlier, through the domain."""
    with app.app_context():
        action(hold.id, member.id, *args, NOW)
        db.session.commit()


# --- Who may open it ------------------------------------------------------------------------


def every_route(hold) -> list[tuple[str, str]]:
    return [
        ("GET", DESK),
        ("GET", f"{DESK}?state=ready"),
        ("GET", f"{DESK}/{hold.id}"),
        ("POST", ready_path(hold)),
        ("POST", collected_path(hold)),
        ("POST", cancel_path(hold)),
    ]


def test_strangers_are_sent_to_sign_in_and_volunteers_refused(app, client, hold, login_as):
    data = {"csrf_token": token_of(client), "reason": "No.", "state": "new"}

    for method, path in every_route(hold):
        signed_out = client.open(path, method=method, data=data)
        assert signed_out.status_code == 302, path
        location = urlsplit(signed_out.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path])
        assert client.open(path, method=method, data=data, headers=HTMX).status_code == 401
    login_as("volunteer")
    for method, path in every_route(hold):
        for headers in ({}, HTMX):
            assert client.open(path, method=method, data=data, headers=headers).status_code == 403
    assert hold_now(app, hold).state == HoldState.NEW
    assert "/collective/holds" not in page_text(client.get("/my/"))


def test_members_see_the_open_holds_with_the_customers_details(app, client, book, hold, sam):
    response = client.get(DESK)

    page = page_text(response)
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in page
    assert f'<a href="{DESK}" aria-current="page">Open</a>' in page
    assert f'id="hold-{hold.id}"' in page
    assert hold.reference in page and "Dispersing Power" in page
    assert "A hold for 2 copies" in page
    for detail in CUSTOMER:
        assert detail in page
    assert '<a href="mailto:robin.customer@example.org">' in page
    assert "1 hold, oldest first." in page
    # The navigation counts the new one.
    assert (
        '<span id="holds-count" class="queue-count"> <span class="count-badge">1</span>'
        '<span class="visually-hidden"> new</span></span>'
    ) in page


def test_the_customers_details_never_reach_the_public_pages(client, book, hold):
    public_pages = (f"/books/{book.id}", f"/books/{book.id}/hold", "/books", "/", "/reviews")
    feeds = ("/feed.atom", "/new-arrivals.atom", "/sitemap.xml")
    for path in (*public_pages, *feeds):
        response = client.get(path)
        assert response.status_code == 200, path
        for detail in CUSTOMER:
            assert detail not in page_text(response), path


def test_each_list_has_its_holds_and_its_empty_words(app, client, book, hold, sam, make_user):
    mara = make_user("collective", display_name="Mara")
    ready = place_hold(app, book, NOW, name="Ready Customer")
    moved_by(app, mara, desk.mark_ready, ready)

    def listed(state):
        return page_text(client.get(f"{DESK}?state={state}"))

    assert "Robin Customer" in listed("new") and "Ready Customer" not in listed("new")
    ready_list = listed("ready")
    assert "Ready Customer" in ready_list and "Robin Customer" not in ready_list
    assert f'<a href="{DESK}?state=ready" aria-current="page">Ready for pickup</a>' in ready_list
    assert "Ready since" in ready_list and "(marked by Mara)" in ready_list
    assert "Held until Dec 1, 2026." in ready_list
    assert "No collected holds." in listed("collected")
    assert "No cancelled holds." in listed("cancelled")
    assert "No expired holds." in listed("expired")


def test_the_empty_desk_says_what_will_appear(client, sam):
    page = page_text(client.get(DESK))

    assert "No open holds. When a customer asks us to hold a copy or order a book" in page


@pytest.mark.parametrize("state", ["waiting", "NEW", "<script>", "open%00"])
def test_an_unknown_list_is_refused_in_words(client, hold, sam, state):
    response = client.get(DESK, query_string={"state": state})

    page = page_text(response)
    assert response.status_code == 400
    assert "There is no such list of holds: choose one of the lists above." in page
    assert f'<a href="{DESK}?state=ready">Ready for pickup</a>' in page
    assert "Robin Customer" not in page


def test_the_lists_come_in_pages(app, client, book, sam, monkeypatch):
    monkeypatch.setitem(app.config, "HOLDS_PER_PAGE", 2)
    for minute in range(5):
        place_hold(app, book, NOW + timedelta(minutes=minute), name=f"Customer {minute}")

    first = page_text(client.get(f"{DESK}?state=new"))
    last = page_text(client.get(f"{DESK}?state=new&page=3"))

    assert "Customer 0" in first and "Customer 2" not in first
    assert f'<a rel="next" href="{DESK}?state=new&amp;page=2">' in first
    assert "Customer 4" in last and "Page 3 of 3" in last


def test_one_hold_has_its_own_page(client, hold, sam):
    response = client.get(f"{DESK}/{hold.id}")

    page = page_text(response)
    assert response.status_code == 200
    assert f"<h1>Hold {hold.reference}</h1>" in page
    assert "Robin Customer" in page
    assert f'<input type="hidden" name="next" value="{DESK}/{hold.id}">' in page
    assert client.get(f"{DESK}/99999").status_code == 404


# --- Ready for pickup ------------------------------------------------------------------------


def test_ready_without_javascript_comes_back_to_the_list_it_was_on(app, client, hold, sam, post):
    page = page_text(client.get(f"{DESK}?state=new"))
    assert f'<input type="hidden" name="next" value="{DESK}?state=new">' in page

    response = post(ready_path(hold), {"next": f"{DESK}?state=new"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"{DESK}?state=new"
    saved = hold_now(app, hold)
    assert (saved.state, saved.ready_at, saved.handled_by_id) == (HoldState.READY, NOW, sam.id)
    page = page_text(client.get(response.headers["Location"]))
    assert f"Hold {hold.reference} is ready for pickup. This site sends no mail" in page


def test_ready_with_htmx_redraws_the_row_and_the_count(app, client, hold, sam, post):
    response = post(ready_path(hold), {"next": DESK}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.strip().startswith(f'<article id="hold-{hold.id}" class="hold-entry hold-ready"')
    assert '<strong class="hold-state">Ready for pickup</strong>' in page
    assert f'<p class="hold-outcome" tabindex="-1" autofocus>Hold {hold.reference} is ready' in page
    assert f'action="{collected_path(hold)}"' in page
    assert f'action="{ready_path(hold)}"' not in page
    assert '<span id="holds-count" class="queue-count" hx-swap-oob="true"></span>' in page
    assert '<div id="flash-messages" class="flash-messages" hx-swap-oob="true">' in page
    assert "HX-Request-Type" in response.headers["Vary"]


WILL_BE_MAILED = "The customer will get an email saying where and until when to pick it up."


def test_ready_emails_the_customer_where_and_until_when(app, hold, sam, post, mail_server):
    page = page_text(post(ready_path(hold), htmx=True))

    assert f"Hold {hold.reference} is ready for pickup. {WILL_BE_MAILED}" in page
    [message] = mail_server
    assert message["To"] == "robin.customer@example.org"
    assert (
        message["Subject"]
        == f"Your hold {hold.reference} is ready for pickup at Firestorm Cafe & Books"
    )
    body = message.get_content()
    assert body.startswith(
        "Firestorm Cafe & Books has put “Dispersing Power” (2 copies) aside for you: "
        "it is ready for pickup at 610 Haywood Rd, Asheville NC."
    )
    assert "until closing time on Tuesday, Dec 1 (9pm)" in body
    assert f"quote the reference {hold.reference} at the counter" in body


def test_the_ready_email_goes_once_the_step_is_committed(
    app, hold, sam, post, mail_server, monkeypatch
):
    seen = read_when_mailed(monkeypatch, select(Hold.state).where(Hold.id == hold.id))

    post(ready_path(hold), htmx=True)

    assert seen == [[(HoldState.READY,)]]
    assert len(mail_server) == 1


def test_a_customer_without_an_email_is_not_mailed(app, book, sam, post, mail_server):
    hold = place_hold(app, book, NOW, email="")

    page = page_text(post(ready_path(hold), htmx=True))

    assert "The customer gave no email address: call them to say so." in page
    assert mail_server == []


def test_a_ready_step_someone_else_took_first_mails_nobody(
    app, hold, sam, post, mail_server, make_user
):
    moved_by(app, make_user("collective", display_name="Mara"), desk.mark_ready, hold)

    response = post(ready_path(hold), htmx=True)

    assert response.status_code == 409
    assert mail_server == []


def test_a_ready_step_whose_commit_fails_mails_nobody(
    app, hold, sam, post, mail_server, monkeypatch
):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    with commits_failing(app):
        response = post(ready_path(hold), {"next": DESK})

    assert response.status_code == 500
    assert hold_now(app, hold).state == HoldState.NEW
    assert mail_server == []


def test_a_mail_failure_keeps_the_hold_ready_and_logs_no_address(
    app, client, hold, sam, post, mail_server, monkeypatch, caplog
):
    def refuse(self, message):
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such user")})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)

    with caplog.at_level(logging.WARNING, logger="firestorm"):
        response = post(ready_path(hold), {"next": DESK})

    assert response.status_code == 302
    assert hold_now(app, hold).state == HoldState.READY
    assert f"Mail not sent, the ready email of hold {hold.reference}: " in caplog.text
    assert "robin.customer@example.org" not in caplog.text


# --- Collected -------------------------------------------------------------------------------


def test_collected_takes_the_copies_off_and_says_so(app, client, book, hold, sam, post):
    moved_by(app, sam, desk.mark_ready, hold)

    page = page_text(post(collected_path(hold), {"next": DESK}, htmx=True))

    assert '<strong class="hold-state">Collected</strong>' in page
    assert f"Hold {hold.reference} is collected. 2 copies taken off the stock" in page
    assert "by Sam" in page
    assert "hold-actions" not in page
    assert stock_and_log(app, book) == (8, [(-2, f"hold {hold.reference} collected", sam.id)])
    stock_page = page_text(client.get(f"/collective/books/{book.id}/stock"))
    assert f"hold {hold.reference} collected" in stock_page


def test_an_order_collected_leaves_the_stock(app, make_book, sam, post):
    book = make_book("Emergent Strategy", stock=0)
    order = place_hold(app, book, NOW, kind=HoldKind.ORDER)
    ready = page_text(post(ready_path(order), htmx=True))
    assert "An ordered book: the stock stays as it is." in ready

    page = page_text(post(collected_path(order), htmx=True))

    assert "is collected. An ordered book: the stock is unchanged." in page
    assert stock_and_log(app, book) == (0, [])


def test_collecting_more_than_the_stock_holds_is_refused_and_nothing_changes(
    app, make_book, sam, post
):
    book = make_book("Sold meanwhile", stock=2)
    hold = place_hold(app, book, NOW, quantity=2)
    moved_by(app, sam, desk.mark_ready, hold)
    with app.app_context():
        stock.change_stock(book.id, -1, "Sold at the till", sam.id, NOW)
        db.session.commit()

    response = post(collected_path(hold), htmx=True)

    assert response.status_code == 422
    assert "Only 1 copy in stock" in page_text(response)
    assert hold_now(app, hold).state == HoldState.READY
    assert stock_and_log(app, book) == (1, [(-1, "Sold at the till", sam.id)])


# --- Cancelled -------------------------------------------------------------------------------


def test_cancel_asks_for_a_reason_and_keeps_the_form(app, client, hold, sam, post):
    page = page_text(client.get(DESK))
    assert f'<label for="cancel-reason-{hold.id}">Why is it cancelled?</label>' in page

    for htmx in (True, False):
        response = post(
            cancel_path(hold), {"state": "new", "reason": "  ", "next": DESK}, htmx=htmx
        )

        page = page_text(response)
        assert response.status_code == 422
        assert "Say why the hold is cancelled (the customer called, the book is lost…)." in page
        assert f'<ul id="cancel-reason-{hold.id}-errors" class="field-errors">' in page
        assert '<details class="hold-cancel" open>' in page
        assert ("<html" in page) is not htmx
    assert hold_now(app, hold).state == HoldState.NEW


def test_cancelled_with_a_reason(app, client, hold, sam, post):
    response = post(cancel_path(hold), {"state": "new", "reason": "Found it elsewhere"})

    assert response.status_code == 302 and response.headers["Location"] == DESK
    saved = hold_now(app, hold)
    assert (saved.state, saved.cancel_reason) == (HoldState.CANCELLED, "Found it elsewhere")
    page = page_text(client.get(f"{DESK}?state=cancelled"))
    assert "by Sam: “Found it elsewhere”." in page


# --- Someone else was quicker ---------------------------------------------------------------


def test_a_stale_step_is_refused_with_409_and_who_did_it(
    app, client, book, hold, sam, post, make_user
):
    mara = make_user("collective", display_name="Mara")
    moved_by(app, mara, desk.mark_ready, hold)
    moved_by(app, mara, desk.mark_collected, hold)

    for htmx in (True, False):
        response = post(collected_path(hold), {"next": DESK}, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 409
        assert (
            '<p class="problem" role="alert" tabindex="-1" autofocus>'
            "Mara marked this hold collected a moment ago.</p>"
        ) in page
        assert '<strong class="hold-state">Collected</strong>' in page
    assert stock_and_log(app, book)[0] == 8


def test_a_cancel_refused_because_someone_moved_it_keeps_the_typed_reason(
    app, hold, sam, post, make_user
):
    mara = make_user("collective", display_name="Mara")
    moved_by(app, mara, desk.mark_ready, hold)

    response = post(cancel_path(hold), {"state": "new", "reason": "They called"}, htmx=True)

    page = page_text(response)
    assert response.status_code == 409
    assert "Mara marked this hold ready for pickup a moment ago." in page
    assert 'value="They called"' in page
    assert '<input type="hidden" name="state" value="ready">' in page
    assert hold_now(app, hold).state == HoldState.READY


def test_an_unknown_hold_is_not_found_and_a_get_changes_nothing(app, client, hold, sam, post):
    for path in (f"{DESK}/99999/ready", f"{DESK}/99999/collected", f"{DESK}/99999/cancel"):
        assert post(path, {"state": "new", "reason": "x"}).status_code == 404
    for path in (ready_path(hold), collected_path(hold), cancel_path(hold)):
        assert client.get(path).status_code == 405
    assert hold_now(app, hold).state == HoldState.NEW


def test_a_step_without_the_csrf_token_is_refused(app, client, hold, sam):
    response = client.post(ready_path(hold), data={"next": DESK})

    assert response.status_code == 400
    assert hold_now(app, hold).state == HoldState.NEW


# --- HTML ------------------------------------------------------------------------------------


def test_the_desk_pages_are_valid_html(
    tmp_path, app, client, book, hold, sam, post, make_user, nu_html_checker
):
    ready = place_hold(app, book, NOW, kind=HoldKind.ORDER, email="", note="")
    moved_by(app, sam, desk.mark_ready, ready)
    ended = place_hold(app, book, NOW)
    moved_by(app, sam, desk.mark_ready, ended)
    moved_by(app, sam, desk.mark_collected, ended)
    pages = {
        "open": client.get(DESK),
        "collected": client.get(f"{DESK}?state=collected"),
        "empty": client.get(f"{DESK}?state=expired"),
        "unknown": client.get(f"{DESK}?state=nonsense"),
        "one": client.get(f"{DESK}/{hold.id}"),
        "refused": post(cancel_path(hold), {"state": "new", "reason": ""}),
        "stale": post(collected_path(ended)),
    }
    assert {name: response.status_code for name, response in pages.items()} == {
        **dict.fromkeys(pages, 200),
        "unknown": 400,
        "refused": 422,
        "stale": 409,
    }

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
