"""A refused full-page form says what went wrong first (error_summary in templates/_forms.html,
drawn by base.html): the title starts with "Error: ", and a summary at the top of the content,
which takes focus as the page loads, links each refused field's words to its input. A page
whose form was not refused has neither. Where focus lands in a browser:
tests/browser/test_error_summary.py."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from auth_helpers import change_password, invite, post_form, sign_in_from
from hold_helpers import CUSTOMER, hidden_fields, hold_path, opened_form
from review_helpers import page_text
from test_book_desk import GOOD_FORM

from firestorm.database import db
from firestorm.people import password_resets
from firestorm.people.models import User

FORM_CONTROLS = {"input", "select", "textarea"}


@dataclass
class Page:
    """What a person (and a screen reader) meets first on a page."""

    title: str = ""
    # The summary's lines: (the link's target, or None for words without a link; the words).
    summary: list[tuple[str | None, str]] = field(default_factory=list)
    summary_attributes: dict[str, str | None] = field(default_factory=dict)
    summaries: int = 0
    # Every element with an id: its tag and attributes.
    by_id: dict[str, tuple[str, dict[str, str | None]]] = field(default_factory=dict)


class PageReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.page = Page()
        self.in_title = False
        self.summary_depth = 0
        self.line: list[str] | None = None
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.page.by_id[attributes["id"]] = (tag, attributes)
        self.in_title = tag == "title"
        if "error-summary" in (attributes.get("class") or "").split():
            self.page.summaries += 1
            self.page.summary_attributes = attributes
            self.summary_depth = 1
        elif self.summary_depth and tag == "div":
            self.summary_depth += 1
        if self.summary_depth and tag == "li":
            self.line, self.href = [], None
        if self.line is not None and tag == "a":
            self.href = attributes.get("href")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.summary_depth and tag == "div":
            self.summary_depth -= 1
        if self.line is not None and tag == "li":
            self.page.summary.append((self.href, " ".join("".join(self.line).split())))
            self.line = None

    def handle_data(self, data):
        if self.in_title:
            self.page.title += data
        if self.line is not None:
            self.line.append(data)


def read(response, status: int = 422) -> Page:
    reader = PageReader()
    reader.feed(page_text(response, status))
    return reader.page


def assert_summarised(page: Page, links: list[str], unlinked: tuple[str, ...] = ()) -> None:
    """The page is refused: "Error: " in its title, one summary that takes focus, linking (in
    this order) to these inputs, each a form control marked invalid, with its words beside the
    field; and these words (a refusal of the whole form) said without a link."""
    assert page.title.startswith("Error: "), page.title
    assert page.summaries == 1
    assert page.summary_attributes.get("tabindex") == "-1"
    assert "autofocus" in page.summary_attributes
    assert [href for href, _ in page.summary if href] == [f"#{id_}" for id_ in links]
    for href, words in page.summary:
        if href is None:
            assert any(text in words for text in unlinked), words
            continue
        tag, attributes = page.by_id[href[1:]]
        assert tag in FORM_CONTROLS, (href, tag)
        assert words
    assert len([href for href, _ in page.summary if href is None]) == len(unlinked)


def assert_not_refused(page: Page) -> None:
    assert not page.title.startswith("Error"), page.title
    assert page.summaries == 0


# --- The public's forms -------------------------------------------------------------------------


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=2)


def test_a_refused_hold_links_each_field_at_fault_and_the_contact_words_to_the_email(
    app, client, book
):
    assert_not_refused(read(client.get(hold_path(book)), 200))

    response = client.post(
        hold_path(book),
        data={**opened_form(client, book), **CUSTOMER, "name": "", "email": "", "phone": ""},
    )

    page = read(response)
    assert_summarised(page, ["name", "email"])
    assert page.summary[0][1] == "Give your name, so we know whose it is."
    assert page.title == f"Error: Hold a copy of “Dispersing Power” · {app.config['STORE_NAME']}"
    # The contact words are said in the fieldset above the email field too.
    assert page.by_id["email"][0] == "input"


def test_a_refused_hold_lists_its_fields_in_the_order_the_page_shows_them(client, book):
    response = client.post(
        hold_path(book),
        data={
            **opened_form(client, book),
            **CUSTOMER,
            "name": "",
            "phone": "call me",
            "quantity": "many",
            "note": "x" * 2001,
        },
    )

    assert_summarised(read(response), ["name", "phone", "quantity", "note"])


def test_a_refused_order_lists_the_book_before_the_customer(client):
    form = opened_order_form(client)
    response = client.post(
        "/order",
        data={**form, "title": "", "isbn": "123", "quantity": "1", "name": "", "email": "x"},
    )

    assert_summarised(read(response), ["title", "isbn", "name", "email"])


def opened_order_form(client) -> dict[str, str]:
    page = client.get("/order")
    assert_not_refused(read(page, 200))
    return hidden_fields(page_text(page))


# --- Signing in and the account -----------------------------------------------------------------


def test_a_refused_sign_in_says_it_in_the_summary_without_a_link(app, client, make_user):
    make_user(email="robin@example.org")
    assert_not_refused(read(client.get("/login"), 200))

    page = read(sign_in_from(client, "robin@example.org", "wrong horse"))

    assert_summarised(page, [], unlinked=("don't match an account",))
    assert page.title == f"Error: Sign in · {app.config['STORE_NAME']}"


def test_a_sign_in_without_a_password_links_to_the_password_field(client, make_user):
    make_user(email="robin@example.org")

    page = read(sign_in_from(client, "robin@example.org", ""))

    assert_summarised(page, ["password"])


def test_a_refused_password_change_links_to_the_fields_of_that_form(client, login_as):
    login_as("volunteer")
    assert_not_refused(read(client.get("/account"), 200))

    wrong_password = read(change_password(client, current="wrong"))
    not_the_same = read(change_password(client, again="a different passphrase"))

    assert_summarised(wrong_password, ["current_password"])
    assert_summarised(not_the_same, ["new_password_again"])


def test_a_refused_display_name_links_to_its_field(client, login_as):
    login_as("volunteer")

    page = read(post_form(client, "/account/name", display_name=""))

    assert_summarised(page, ["display_name"])


def test_a_refused_forgotten_password_form_links_to_the_email(client, mail_server):
    assert_not_refused(read(client.get("/password/forgot"), 200))

    page = read(post_form(client, "/password/forgot", email="not an address"))

    assert_summarised(page, ["email"])


def test_a_refused_invitation_links_to_the_passwords(client, app, make_user):
    member = make_user(role="collective")
    _, token = invite(app, member, "new@example.org")
    assert_not_refused(read(client.get(f"/invite/{token}"), 200))

    page = read(
        post_form(
            client,
            f"/invite/{token}",
            display_name="Sam",
            password="a long passphrase",
            password_again="another passphrase",
        )
    )

    assert_summarised(page, ["password_again"])


def test_a_refused_new_password_links_to_the_field_typed_again(client, app, make_user):
    volunteer = make_user()
    with app.app_context():
        token = password_resets.create_reset(db.session.get(User, volunteer.id), datetime.now(UTC))
        db.session.commit()
    assert_not_refused(read(client.get(f"/password/reset/{token}"), 200))

    page = read(
        post_form(
            client,
            f"/password/reset/{token}",
            new_password="a long new passphrase",
            new_password_again="another passphrase",
        )
    )

    assert_summarised(page, ["new_password_again"])


# --- The collective's desk ----------------------------------------------------------------------


@pytest.fixture
def member(login_as):
    return login_as("collective")


def test_a_refused_book_links_each_field_at_fault(app, client, member, post):
    assert_not_refused(read(client.get("/collective/books/new"), 200))

    response = post("/collective/books", {**GOOD_FORM, "title": "", "stock": "two"})

    page = read(response)
    # The stock field says two things, and the summary both.
    assert_summarised(page, ["title", "stock", "stock"])
    assert page.title == f"Error: Add a book · {app.config['STORE_NAME']}"


def test_a_refused_edit_of_a_book_links_to_its_field(client, member, post, make_book):
    book = make_book("Dispersing Power")

    page = read(post(f"/collective/books/{book.id}", {**GOOD_FORM, "release_date": "1st July"}))

    assert_summarised(page, ["release_date"])


def test_a_refused_invitation_form_links_to_the_email(client, member, post):
    page = read(post("/collective/invitations", {"email": "nobody", "role": "volunteer"}))

    assert_summarised(page, ["email"])


def test_a_refused_shelf_name_links_to_the_field_it_was_typed_in(client, member, post, app):
    assert_not_refused(read(client.get("/collective/shelves"), 200))

    page = read(post("/collective/shelves", {"name": ""}))

    assert_summarised(page, ["name"])


def test_a_refused_csv_upload_links_to_the_file_field(client, member, post):
    page = read(post("/collective/books/import", {}))

    assert_summarised(page, ["file"])


# --- A volunteer's new review -------------------------------------------------------------------


def test_a_review_started_without_a_book_links_to_the_first_book_offered(
    client, login_as, make_book, post
):
    login_as("volunteer")
    book = make_book("Dispersing Power")

    page = read(post("/my/reviews", {"book_id": "", "q": "dispersing"}))

    assert page.by_id[f"book-choice-{book.id}"][1]["type"] == "radio"
    assert_summarised(page, [f"book-choice-{book.id}"])


def test_a_review_started_when_the_search_found_nothing_links_to_the_search(client, login_as, post):
    login_as("volunteer")

    page = read(post("/my/reviews", {"book_id": "", "q": "nothing like it"}))

    assert_summarised(page, ["book-q"])
