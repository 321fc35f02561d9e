"""On a phone 320 px wide, every page of the site fits the screen, signed in or not: nothing on
it is wider than the screen, so nothing scrolls sideways; and an email address that has to wrap
breaks after its @ or before a dot, never in the middle of a word. The pages are the demo's,
with long titles, names and email addresses added, so no list is empty and nothing is short.

Every GET route of the app is either walked here or named in NOT_PAGES: a new page fails
test_every_page_of_the_site_is_walked until it is added to one of them."""

import json
import secrets
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_checks import PHONE
from csv_helpers import csv_bytes, row
from playwright.sync_api import expect
from review_helpers import GOOD_TEXT, review_taken_to

from firestorm.book_lookup.models import BookLookup
from firestorm.catalog import books, shelves, stock
from firestorm.csv.models import CsvImport
from firestorm.database import db
from firestorm.events import planning, signing_up
from firestorm.events.wording import date_value
from firestorm.holds import placing, special_orders
from firestorm.holds.models import HoldKind
from firestorm.people import accounts, invitations, password_resets
from firestorm.people.models import User
from firestorm.receiving import deliveries
from firestorm.reviews.models import ReviewState
from firestorm.shop.models import SpecialHoursEntry
from firestorm.shop.schedule import load_schedule

# Who visits each page: everyone (no one, a volunteer and a collective member, one test each);
# only those signed out (the links that sign people in); anyone signed in; collective members.
EVERYONE, SIGNED_OUT, SIGNED_IN, COLLECTIVE = "everyone", "signed out", "signed in", "collective"
PAGES = {
    "public.home": EVERYONE,
    "public.catalog_page": EVERYONE,
    "public.book_page": EVERYONE,
    "public.hold_form": EVERYONE,
    "public.order_form": EVERYONE,
    "public.hold_page": EVERYONE,
    "public.cancel_form": EVERYONE,
    "public.shelves_page": EVERYONE,
    "public.shelf_page": EVERYONE,
    "public.reviews_page": EVERYONE,
    "public.reviewer_page": EVERYONE,
    "public.hours_page": EVERYONE,
    "public.events_page": EVERYONE,
    "public.past_events_page": EVERYONE,
    "public.event_page": EVERYONE,
    "public.sign_up_form": EVERYONE,
    "public.sign_up_page": EVERYONE,
    "public.cancel_sign_up_form": EVERYONE,
    "public.about_page": EVERYONE,
    "auth.login": SIGNED_OUT,
    "auth.forgot_password": SIGNED_OUT,
    "auth.reset_password": SIGNED_OUT,
    "auth.accept_invitation": SIGNED_OUT,
    "auth.account": SIGNED_IN,
    "volunteer.dashboard": SIGNED_IN,
    "volunteer.new_review": SIGNED_IN,
    "volunteer.book_choices": SIGNED_IN,
    "volunteer.edit_review": SIGNED_IN,
    "volunteer.confirm_withdrawal": SIGNED_IN,
    "collective.queue": COLLECTIVE,
    "collective.books": COLLECTIVE,
    "collective.events": COLLECTIVE,
    "collective.new_event": COLLECTIVE,
    "collective.event": COLLECTIVE,
    "collective.event_book_choices": COLLECTIVE,
    "collective.confirm_cancel_event": COLLECTIVE,
    "collective.confirm_delete_event": COLLECTIVE,
    "collective.event_sign_ups": COLLECTIVE,
    "collective.sign_up_message_form": COLLECTIVE,
    "collective.event_dates": COLLECTIVE,
    "collective.confirm_cancel_date": COLLECTIVE,
    "collective.move_date_form": COLLECTIVE,
    "collective.new_book": COLLECTIVE,
    "collective.edit_book": COLLECTIVE,
    "collective.confirm_delete_book": COLLECTIVE,
    "collective.stock_history": COLLECTIVE,
    "collective.import_books": COLLECTIVE,
    "collective.csv_imports": COLLECTIVE,
    "collective.csv_import": COLLECTIVE,
    "collective.confirm_undo_import": COLLECTIVE,
    "collective.holds": COLLECTIVE,
    "collective.hold": COLLECTIVE,
    "collective.attach_book_form": COLLECTIVE,
    "collective.hours": COLLECTIVE,
    "collective.weekday": COLLECTIVE,  # without htmx, the hours editor at that day's row
    "collective.edit_weekday": COLLECTIVE,
    "collective.special_hours": COLLECTIVE,
    "collective.confirm_remove_special_hours": COLLECTIVE,
    "collective.people": COLLECTIVE,
    "collective.person": COLLECTIVE,
    "collective.invitations": COLLECTIVE,
    "collective.shelves": COLLECTIVE,
    "collective.confirm_remove_shelf": COLLECTIVE,
    "collective.shelf_talkers": COLLECTIVE,
    "collective.shelf_talker_sheet": COLLECTIVE,
    "collective.receive": COLLECTIVE,
    "collective.delivery": COLLECTIVE,
}
# Pages that need a query string to be more than a refusal.
QUERIES = {"collective.shelf_talker_sheet": "review={published_review_id}"}
# GET routes that answer with no page to read on a screen.
NOT_PAGES = {
    "static",
    "public.favicon",
    "public.cover_file",  # images
    "public.book_share_card",
    "public.store_share_card",
    "public.review_feed",  # Atom feeds
    "public.new_arrivals_feed",
    "public.events_feed",
    "public.events_calendar",  # calendar files
    "public.event_calendar",
    "public.sitemap_xml",  # for search engines
    "public.sitemap_file",
    "public.robots_txt",
    "public.health_check",  # for the monitoring
    "collective.export_books",  # a CSV file
    "collective.check_isbn",  # htmx's answer under the ISBN field, drawn in the book form
    "collective.found_cover",  # an image
}
# The same pages in other states: a search's results (and a search that finds nothing, which
# offers to order the book), the holds desk found by a customer's address, a page not found.
MORE_VISITS = [
    ("/books?q=neighbours", EVERYONE),
    ("/books?q=no+such+book+anywhere", EVERYONE),
    ("/shelves/mutual-aid-tenant-unions-and-community-kitchens?q=handbook", EVERYONE),
    ("/collective/holds?q=featherstonehaugh", COLLECTIVE),
    ("/collective/books?q=neighbours", COLLECTIVE),
    ("/my/reviews/new?q=neighbours", SIGNED_IN),
    ("/no-such-page", EVERYONE),
]
VISITS = {
    None: (EVERYONE, SIGNED_OUT),
    "volunteer": (EVERYONE, SIGNED_IN),
    "collective": (EVERYONE, SIGNED_IN, COLLECTIVE),
}

# An ISBN the catalog lacks, scanned into the member's delivery.
UNKNOWN_ISBN = "9780262033848"
LONG_TITLE = "Neighbours in Common: The Unabridged Handbook of Mutual Aid and Tenant Unions"
VOLUNTEER_EMAIL = "robin.longname-example@some-long-domain.example.org"
MEMBER_EMAIL = "samantha.evergreen-collective@cooperative-bookshop.example.org"
CUSTOMER_EMAIL = "alexandria.montgomery-featherstonehaugh@neighbourhood-mail.example.org"
INVITED_EMAIL = "new.volunteer-from-the-reading-group@some-long-domain.example.org"
LONG_REASON = "Counted the shelf after the reading night: two copies were under the cafe counter"
# An import's dry run with a book to add, one renamed (its authors differ) and one refused.
IMPORTED = csv_bytes(
    row(f"{LONG_TITLE}, Second Edition", authors="Maria-Josefina Castellanos-Whitfield"),
    row(LONG_TITLE, isbn="9781849350129", stock="9"),
    row("A Book With a Wrong ISBN", isbn="978-1-84935-011-3", stock="1"),
)


def test_every_page_of_the_site_is_walked(app):
    answering_get = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}

    assert not NOT_PAGES & set(PAGES)
    assert answering_get - NOT_PAGES == set(PAGES), "say whether a new page is walked"
    assert answering_get >= NOT_PAGES, "a route named here is gone"


# --- The site: the demo, and long names, titles and addresses -----------------------------


def add_person(role: str, display_name: str, email: str) -> User:
    person = accounts.create_user(email, display_name, role, "correct horse battery")
    db.session.flush()
    return person


def customer(kind: str, note: str = "") -> placing.HoldRequest:
    return placing.HoldRequest(
        kind, "Alexandria Montgomery-Featherstonehaugh", CUSTOMER_EMAIL, "828-555-0143", 1, note
    )


@pytest.fixture
def long_site(app, runner) -> dict:
    """The demo site, and a long-titled book on a new shelf, with a long stock reason, held by
    a customer with a long email address; a special order; a volunteer and a member with long
    addresses, the volunteer's review of the book published and the member's waiting; an
    invitation and a reset link. Returns the people and the value of each URL variable (the
    review's per person)."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    secret, now = app.config["SECRET_KEY"], datetime.now(UTC)
    with app.app_context():
        volunteer = add_person("volunteer", "Robin Longname-Example", VOLUNTEER_EMAIL)
        member = add_person("collective", "Samantha Evergreen-Collective", MEMBER_EMAIL)
        shelf = shelves.add_shelf("Mutual Aid, Tenant Unions and Community Kitchens", by="test")
        book = books.add_book(
            title=LONG_TITLE,
            subtitle="Organising Where We Live, Block by Block, Through Winters and Rent Strikes",
            authors=["Maria-Josefina Castellanos-Whitfield", "Oluwaseun Abernathy-Okonkwo"],
            publisher="The Cooperative Press of the Southern Appalachian Highlands",
            isbn13="9781849350129",
            description="A book about the neighbourhood. " * 20,
            book_format="paperback",
        )
        book.shelves = [shelf]
        db.session.flush()
        stock.set_stock(book.id, 4, LONG_REASON, member.id, now)
        hold = placing.place_request(
            book.id,
            customer(HoldKind.HOLD, "After work. " * 10),
            secrets.token_urlsafe(16),
            now,
            secret,
        )
        asked = special_orders.SpecialOrderRequest(
            "The Extraordinarily Comprehensive Atlas of Appalachian Cooperatives",
            "Bartholomew Featherstonehaugh-Cholmondeley",
            "",
            "hardcover",
            customer(HoldKind.ORDER),
        )
        order = special_orders.place_special_order(asked, secrets.token_urlsafe(16), now, secret)
        _, invitation_token = invitations.create_invitation(member, INVITED_EMAIL, "volunteer", now)
        # The member's delivery: the long book received, and an ISBN Open Library knew.
        deliveries.scan(member.id, "9781849350129", now)
        db.session.add(
            BookLookup(
                isbn13=UNKNOWN_ISBN,
                outcome="found",
                facts=json.dumps(
                    {
                        "title": LONG_TITLE,
                        "authors": ["Maria-Josefina Castellanos-Whitfield"],
                        "publisher": "The Cooperative Press of the Southern Appalachian Highlands",
                    }
                ),
                looked_up_at=now,
            )
        )
        delivery = deliveries.scan(member.id, UNKNOWN_ISBN, now).line.delivery_id
        event = planning.add_event(
            planning.TypedEvent(
                f"Reading and conversation: {LONG_TITLE}",
                (now + timedelta(days=8)).date(),
                time(19),
                time(21),
                "With the authors. " * 30,
                place="The Cooperative Hall of the Southern Appalachian Highlands, 1234 Haywood Rd",
                capacity=1200,
                opens_specially=True,
                # A series: its page lists the next dates, the desk each date.
                repeat="weekly",
                repeat_until=(now + timedelta(days=60)).date(),
            ),
            load_schedule(now.date(), ZoneInfo(app.config["STORE_TIMEZONE"])),
            now,
        )
        signed = signing_up.sign_up(
            event.id,
            date_value(event.starts_at),
            signing_up.SignUpRequest(
                "Alexandria Montgomery-Featherstonehaugh", CUSTOMER_EMAIL, "828-555-0143", 12
            ),
            secrets.token_urlsafe(16),
            now,
            secret,
            ZoneInfo(app.config["STORE_TIMEZONE"]),
        )
        values = {
            "sign_up_token": signed.link_token,
            "book_id": book.id,
            "shelf_id": shelf.id,
            "slug": shelf.slug,
            "hold_id": order.hold.id,
            "link_token": hold.link_token,
            "reviewer_id": volunteer.id,
            "import_id": db.session.scalar(db.select(CsvImport.id)),
            "special_hours_id": db.session.scalar(db.select(SpecialHoursEntry.id)),
            "weekday": 1,
            "person_id": volunteer.id,
            "token": invitation_token,
            "reset_token": password_resets.create_reset(volunteer, now),
            "delivery_id": delivery,
            "event_id": event.id,
            "day": event.starts_at.astimezone(ZoneInfo(app.config["STORE_TIMEZONE"])).date(),
        }
        published, waiting = (
            review_taken_to(state, author.id, book.id, GOOD_TEXT, now, member.id)
            for state, author in (
                (ReviewState.PUBLISHED, volunteer),
                (ReviewState.SUBMITTED, member),
            )
        )
        values["published_review_id"] = published.id
        own_reviews = {"volunteer": published.id, "collective": waiting.id}
        db.session.commit()
        people = {"volunteer": volunteer, "collective": member}
        for person in people.values():
            db.session.refresh(person)
            db.session.expunge(person)
    return {"people": people, "values": values, "own_reviews": own_reviews}


def paths_for(app, visitor: str | None, site: dict) -> list[str]:
    """Every page the visitor may see, with the site's rows in its URL variables."""
    values = {**site["values"], "review_id": site["own_reviews"].get(visitor)}
    adapter = app.url_map.bind("localhost")
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    audiences = VISITS[visitor]
    paths = []
    for endpoint, audience in PAGES.items():
        if audience in audiences:
            path = adapter.build(
                endpoint, {name: values[name] for name in rules[endpoint].arguments}
            )
            query = QUERIES.get(endpoint)
            paths.append(f"{path}?{query.format(**values)}" if query else path)
    return paths + [path for path, audience in MORE_VISITS if audience in audiences]


# --- What the phone shows ------------------------------------------------------------------

# Boxes wider than the screen, each with where it is and what it says: the innermost ones,
# where the cause is (a table's widest cell, a field). A box inside one that scrolls or clips it
# (a wide table in its scrolling frame) makes the frame scroll, not the page: the frame is
# checked instead. <details> are opened first, so what they fold is measured too.
OVERFLOWING = """() => {
    document.querySelectorAll('details').forEach(details => { details.open = true; });
    const screen = document.documentElement.clientWidth;
    const framed = element => {
        for (let box = element.parentElement; box !== document.body; box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== 'visible') return true;
        }
        return false;
    };
    const tooWide = element => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.right + scrollX > screen + 0.5
            && !framed(element);
    };
    const name = element => element.tagName.toLowerCase()
        + (element.id ? '#' + element.id : '')
        + [...element.classList].map(c => '.' + c).join('');
    const found = [];
    for (const element of document.body.querySelectorAll('*')) {
        if (!tooWide(element) || [...element.children].some(tooWide)) continue;
        const path = [];
        for (let up = element; up && up !== document.body; up = up.parentElement) {
            path.unshift(name(up));
        }
        const right = Math.round(element.getBoundingClientRect().right + scrollX);
        const words = (element.textContent || element.value || '').trim().replace(/\\s+/g, ' ');
        found.push(`${path.slice(-4).join(' > ')} ends at ${right}px: "${words.slice(0, 50)}"`);
    }
    return {width: document.documentElement.scrollWidth, found: found.slice(0, 5)};
}"""

# Where each email address on the page wraps: the characters either side of each line break
# inside it. Addresses are found in the smallest elements whose text holds one (an address
# broken up by <wbr> spans several text nodes), and read character by character.
EMAIL_BREAKS = r"""() => {
    const address = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
    const holders = [...document.body.querySelectorAll('*')].filter(element =>
        element.textContent.match(address)
        && ![...element.children].some(child => child.textContent.match(address)));
    const breaks = [];
    for (const holder of holders) {
        const letters = [];
        const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) letters.push([node, i]);
        }
        const text = letters.map(([node, i]) => node.data[i]).join('');
        const tops = letters.map(([node, i]) => {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rects = range.getClientRects();
            return rects.length ? rects[0].top : null;
        });
        for (const match of text.matchAll(address)) {
            for (let i = match.index + 1; i < match.index + match[0].length; i++) {
                if (tops[i] !== null && tops[i - 1] !== null && tops[i] > tops[i - 1] + 2) {
                    breaks.push([match[0], text[i - 1] + '|' + text[i]]);
                }
            }
        }
    }
    return breaks;
}"""


def sensible_break(pair: str) -> bool:
    """After the @, before a dot, or after a hyphen: "robin.longname|-example" is not."""
    before, after = pair.split("|")
    return before in "@-" or after == "."


@pytest.mark.parametrize("visitor", list(VISITS), ids=["no-one", "volunteer", "collective"])
def test_every_page_fits_a_phone_screen(
    app, browser, base_url, sign_in_browser, long_site, visitor
):
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    if visitor:
        sign_in_browser(context, long_site["people"][visitor])
    page = context.new_page()
    problems = []

    for path in paths_for(app, visitor, long_site):
        response = page.goto(path)
        expected = 404 if path == "/no-such-page" else 200
        if response.status != expected:
            problems.append(f"{path}: answered {response.status}")
            continue
        problems.extend(problems_on(page, path))

    context.close()
    assert not problems, "\n".join(problems)


def test_the_answers_to_the_desks_forms_fit_a_phone_screen(
    browser, base_url, sign_in_browser, long_site, tmp_path
):
    """Pages only a form's answer draws: an import's dry run, and a new invitation's link."""
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    sign_in_browser(context, long_site["people"]["collective"])
    page = context.new_page()
    dry_run = tmp_path / "the cooperative's till export, december.csv"
    dry_run.write_bytes(IMPORTED)
    page.goto("/collective/books/import")
    page.get_by_label("CSV file").set_input_files(str(dry_run))
    page.get_by_role("button", name="See what it would do").click()
    for heading in ("Refused (1)", "Renames to confirm (1)", "To add (1)"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    problems = problems_on(page, "the dry run")

    page.goto("/collective/invitations")
    page.get_by_label("Their email address").fill(f"another.{INVITED_EMAIL}")
    page.get_by_role("button", name="Make the invitation link").click()
    expect(page.get_by_role("heading", name="The link for")).to_be_visible()
    problems += problems_on(page, "the new invitation")

    context.close()
    assert not problems, "\n".join(problems)


def problems_on(page, where: str) -> list[str]:
    """What is wrong with the page on the phone: boxes wider than the screen, addresses that
    break inside a word."""
    problems = []
    measured = page.evaluate(OVERFLOWING)
    if measured["width"] > PHONE["width"] or measured["found"]:
        problems.append(f"{where} is {measured['width']}px wide:")
        problems.extend(f"    {overflow}" for overflow in measured["found"])
    bad_breaks = {(email, pair) for email, pair in page.evaluate(EMAIL_BREAKS)}
    problems.extend(
        f"{where}: {email} breaks at {pair}"
        for email, pair in sorted(bad_breaks)
        if not sensible_break(pair)
    )
    return problems


def test_the_walk_finds_a_page_wider_than_the_screen_and_an_address_broken_mid_word(page, base_url):
    """The checks above on a page made to fail them: a box too wide, an address that wraps
    anywhere; and a wide box in a scrolling frame, which is no fault."""
    page.set_viewport_size(PHONE)
    page.set_content(
        f"""<body style="margin:0">
        <p style="width:90px;overflow-wrap:anywhere">{VOLUNTEER_EMAIL}</p>
        <div id="wide" style="width:400px">Too wide</div>
        <div style="overflow-x:auto">
          <table style="width:600px"><tr><td>Tabular</td></tr></table>
        </div>
        </body>"""
    )

    measured = page.evaluate(OVERFLOWING)
    breaks = page.evaluate(EMAIL_BREAKS)

    assert measured["width"] == 400
    assert measured["found"] == ['div#wide ends at 400px: "Too wide"']
    assert breaks and not all(sensible_break(pair) for _, pair in breaks)
