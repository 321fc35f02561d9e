"""A volunteer's review pages under /my/: who may open them, and writing a review through them."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

# The Nu Html Checker and its fixture, shared with the public pages' validity test.
from test_html_validity import check_html, describe, nu_html_checker  # noqa: F401

from firestorm import reviews
from firestorm.extensions import db
from firestorm.models import Book, Review, ReviewAction, ReviewEvent, ReviewState
from firestorm.text import render_review

NEW_YORK = ZoneInfo("America/New_York")
GOOD_TEXT = "A book about councils and markets, and how people organise without a state. " * 2


def page_text(response) -> str:
    return response.get_data(as_text=True)


class PageElements(HTMLParser):
    """The elements and attributes a browser would build from some HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.fixture
def post(client, csrf_token):
    """post(path, data, htmx=False): a form post carrying the CSRF token, as the pages send it."""

    def post(path, data=None, htmx=False, **kwargs):
        headers = {"HX-Request": "true"} if htmx else {}
        return client.post(
            path, data={"csrf_token": csrf_token(), **(data or {})}, headers=headers, **kwargs
        )

    return post


@pytest.fixture
def review_of(app, make_book):
    """review_of(author, state=…, body=…) -> the id of a review in that state, as the workflow
    would have left it."""

    def review_of(author, state=ReviewState.DRAFT, body=GOOD_TEXT, book=None, **fields):
        book = book or make_book("Dispersing Power", authors=["Raúl Zibechi"])
        with app.app_context():
            review = Review(
                book_id=book.id, reviewer_id=author.id, state=state, body=body, **fields
            )
            db.session.add(review)
            db.session.commit()
            return review.id

    return review_of


def saved(app, review_id) -> Review:
    with app.app_context():
        review = db.session.get(Review, review_id)
        db.session.expunge(review)
        return review


def events_of(app, review_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(ReviewEvent.action)
                .where(ReviewEvent.review_id == review_id)
                .order_by(ReviewEvent.id)
            )
        )


# --- Who may open what -------------------------------------------------------------------


def every_route(review_id):
    """(method, path) for every page and action under /my/."""
    return [
        ("GET", "/my/"),
        ("GET", "/my/reviews/new"),
        ("GET", "/my/books/choices?q=power"),
        ("POST", "/my/reviews"),
        ("POST", "/my/reviews/preview"),
        ("GET", f"/my/reviews/{review_id}/edit"),
        ("POST", f"/my/reviews/{review_id}"),
        ("POST", f"/my/reviews/{review_id}/submit"),
        ("GET", f"/my/reviews/{review_id}/withdraw"),
        ("POST", f"/my/reviews/{review_id}/withdraw"),
    ]


def test_every_page_sends_strangers_to_sign_in_first(client, csrf_token, make_user, review_of):
    review_id = review_of(make_user())
    token = csrf_token()

    for method, path in every_route(review_id):
        response = client.open(path, method=method, data={"csrf_token": token, "body": "x"})

        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path]), path
    assert saved(client.application, review_id).body == GOOD_TEXT


def test_htmx_requests_signed_out_say_so_in_place_instead_of_redirecting(
    client, csrf_token, make_user, review_of
):
    review_id = review_of(make_user())

    response = client.post(
        f"/my/reviews/{review_id}",
        data={"csrf_token": csrf_token(), "body": "Typed while signed out."},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 401
    assert "You're signed out." in page_text(response)
    assert "<html" not in page_text(response)


@pytest.mark.parametrize("role", ["volunteer", "collective"])
def test_volunteers_and_collective_members_both_write_reviews(client, login_as, role):
    login_as(role)

    for path in ("/my/", "/my/reviews/new", "/my/books/choices?q=power"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", ["volunteer", "collective"])
def test_someone_elses_review_is_not_found_whatever_the_role(
    client, app, login_as, make_user, review_of, post, role
):
    review_id = review_of(make_user(display_name="The Author"))
    login_as(role)

    for method, path in every_route(review_id)[5:]:
        if method == "GET":
            response = client.get(path)
        else:
            response = post(path, {"body": "Mine now.", "review_id": review_id})
        assert response.status_code == 404, path
        assert "The Author" not in page_text(response)
    assert post("/my/reviews/preview", {"review_id": review_id}).status_code == 404
    review = saved(app, review_id)
    assert (review.state, review.body) == (ReviewState.DRAFT, GOOD_TEXT)


def test_a_volunteer_finds_nothing_open_to_them_under_collective(client, login_as):
    login_as("volunteer")

    for path in ("/collective/", "/collective/reviews", "/collective/books"):
        assert client.get(path).status_code in {403, 404}, path


def test_an_unknown_or_absurd_review_number_is_not_found(client, login_as):
    login_as()

    for path in ("/my/reviews/999/edit", f"/my/reviews/{2**40}/edit", "/my/reviews/x/edit"):
        assert client.get(path).status_code == 404, path


def test_every_change_is_refused_without_the_csrf_token(client, app, login_as, review_of):
    author = login_as()
    review_id = review_of(author)

    for method, path in every_route(review_id):
        if method == "POST":
            response = client.post(path, data={"body": "Changed.", "book_id": "1"})
            assert response.status_code == 400, path
            assert "This form has expired" in page_text(response)
    review = saved(app, review_id)
    assert (review.state, review.body) == (ReviewState.DRAFT, GOOD_TEXT)


def test_the_csrf_token_is_accepted_in_the_form_or_in_the_htmx_header(
    client, app, login_as, review_of, csrf_token
):
    review_id = review_of(login_as())
    path = f"/my/reviews/{review_id}"

    by_form = client.post(path, data={"csrf_token": csrf_token(), "body": "By the form."})
    by_header = client.post(
        path,
        data={"body": "By the header."},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_token()},
    )

    assert (by_form.status_code, by_header.status_code) == (302, 200)
    assert saved(app, review_id).body == "By the header."


# --- My reviews ----------------------------------------------------------------------------


def test_my_reviews_are_grouped_by_state_with_counts_and_empty_states(
    client, app, login_as, make_user, make_book, review_of
):
    author = login_as()
    review_of(author, book=make_book("Drafted Book"))
    review_of(author, book=make_book("Another Draft"))
    returned_id = review_of(author, ReviewState.RETURNED, book=make_book("Returned Book"), round=1)
    review_of(make_user(), book=make_book("Someone Else's Book"))
    with app.app_context():
        db.session.add(
            ReviewEvent(
                review_id=returned_id,
                actor_id=make_user(role="collective").id,
                action=ReviewAction.RETURNED,
                round=1,
                note="Please say who it is for.",
            )
        )
        db.session.commit()

    page = page_text(client.get("/my/"))

    assert 'Drafts <span class="count">(2)</span>' in page
    assert 'Returned with a note <span class="count">(1)</span>' in page
    assert "Drafted Book" in page and "Another Draft" in page and "Returned Book" in page
    assert "Please say who it is for." in page
    assert "Nothing is waiting for the collective&#39;s approval." in page
    assert "None of your reviews is published yet." in page
    assert "Someone Else" not in page
    assert f'href="/my/reviews/{returned_id}/edit"' in page
    assert 'href="/my/reviews/new"' in page
    assert "Last changed" in page


def test_a_revision_says_the_public_keeps_the_published_text(
    client, login_as, make_book, publish_review, post
):
    author = login_as()
    published = publish_review(make_book(), author, body=GOOD_TEXT)
    post(f"/my/reviews/{published.id}", {"body": GOOD_TEXT + " Revised."})

    page = page_text(client.get("/my/"))

    assert "the public keeps seeing your published text until this one is approved" in page


def test_my_reviews_page_makes_the_same_queries_for_one_review_or_many(
    client, login_as, make_book, review_of, count_queries
):
    author = login_as()
    review_of(author, ReviewState.RETURNED, book=make_book("One"))
    with count_queries() as with_one:
        assert client.get("/my/").status_code == 200
    for n in range(6):
        state = list(ReviewState)[n % 5]
        review_of(author, state, book=make_book(f"Book {n}", authors=[f"A{n}"]))

    with count_queries() as with_many:
        assert client.get("/my/").status_code == 200
    assert len(with_many) == len(with_one)


# --- Choosing the book ---------------------------------------------------------------------


@pytest.fixture
def shelves(make_book):
    return {
        "dispersing": make_book(
            "Dispersing Power", authors=["Raúl Zibechi"], publisher="AK Press", stock=2
        ),
        "emergent": make_book("Emergent Strategy", authors=["adrienne maree brown"]),
    }


def test_the_new_review_page_starts_with_a_search_and_a_hint(client, login_as):
    login_as()

    page = page_text(client.get("/my/reviews/new"))

    assert '<label for="book-q">Find the book by title, author or ISBN</label>' in page
    assert 'hx-get="/my/books/choices"' in page
    assert 'hx-trigger="submit, input changed delay:300ms"' in page
    assert 'action="/my/reviews/new" method="get"' in page
    assert "Type a title, author or ISBN above" in page


def test_searching_without_javascript_lists_the_books_as_labelled_choices(
    client, login_as, shelves
):
    login_as()
    book = shelves["dispersing"]

    page = page_text(client.get("/my/reviews/new?q=raul"))

    assert "<legend>Choose the book</legend>" in page
    assert (
        f'<input type="radio" id="book-choice-{book.id}" name="book_id" value="{book.id}">' in page
    )
    assert f'<label for="book-choice-{book.id}">' in page
    assert "Dispersing Power</span> by Raúl Zibechi" in page
    assert "Emergent Strategy" not in page
    assert '<input type="hidden" name="q" value="raul">' in page


def test_the_choices_endpoint_answers_htmx_with_the_choices_alone(client, login_as, shelves):
    login_as()

    response = client.get("/my/books/choices?q=strategy", headers={"HX-Request": "true"})

    assert "<html" not in page_text(response)
    assert "Emergent Strategy" in page_text(response)
    assert "HX-Request" in response.headers["Vary"]


def test_nothing_found_says_so(client, login_as, shelves):
    login_as()

    page = page_text(client.get("/my/books/choices?q=zzz", headers={"HX-Request": "true"}))

    assert "No books match “zzz”" in page


def test_a_books_page_link_comes_with_the_book_already_chosen(client, login_as, shelves):
    login_as()
    book = shelves["emergent"]

    page = page_text(client.get(f"/my/reviews/new?book_id={book.id}"))

    assert f'value="{book.id}" checked>' in page
    assert "The book you chose." in page


def test_a_book_i_already_review_is_marked_in_the_choices(client, login_as, shelves, review_of):
    author = login_as()
    review_of(author, book=shelves["dispersing"])

    page = page_text(client.get("/my/reviews/new?q=power"))

    assert "you have a review of this one: choosing it opens yours" in page


def test_choosing_a_book_starts_a_draft_and_opens_it(client, app, login_as, shelves, post):
    author = login_as()
    book = shelves["dispersing"]

    response = post("/my/reviews", {"book_id": book.id})

    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.reviewer_id == author.id))
        assert (review.book_id, review.state, review.body) == (book.id, ReviewState.DRAFT, "")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/my/reviews/{review.id}/edit"
    assert "Your review of “Dispersing Power” is started" in page_text(
        client.get(response.headers["Location"])
    )


def test_a_draft_may_start_with_some_text(client, app, login_as, shelves, post):
    author = login_as()

    post("/my/reviews", {"book_id": shelves["emergent"].id, "body": "First *thoughts*."})

    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.reviewer_id == author.id))
        assert review.body == "First *thoughts*."


def test_choosing_a_book_i_already_review_opens_my_review_instead(
    client, app, login_as, shelves, review_of, post
):
    author = login_as()
    review_id = review_of(author, book=shelves["dispersing"])

    response = post("/my/reviews", {"book_id": shelves["dispersing"].id})

    assert response.headers["Location"] == f"/my/reviews/{review_id}/edit"
    assert "You already have a review of “Dispersing Power”: here it is." in page_text(
        client.get(response.headers["Location"])
    )
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Review.id))) == 1


@pytest.mark.parametrize(
    ("book_id", "message"),
    [
        ("", "Choose the book you want to review."),
        ("abc", "Choose the book you want to review."),
        ("999999", "We couldn&#39;t find that book. Search for it again."),
        (str(2**40), "We couldn&#39;t find that book. Search for it again."),
    ],
)
def test_starting_without_a_real_book_comes_back_with_the_search_kept(
    client, login_as, shelves, post, book_id, message
):
    login_as()

    response = post("/my/reviews", {"book_id": book_id, "q": "power"})

    page = page_text(response)
    assert response.status_code == 422
    assert message in page
    assert 'value="power"' in page and "Dispersing Power" in page


# --- Writing -------------------------------------------------------------------------------


def test_the_editor_tells_the_limits_and_counts_the_characters(client, login_as, review_of):
    review_id = review_of(login_as(), body="Short *and* sweet.")

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert '<label for="review-body">Your review</label>' in page
    assert 'maxlength="10000"' in page
    assert "18 / 10000 characters" in page
    assert "anything up to 10000 characters" in page and "at least 100" in page
    assert 'hx-trigger="input changed delay:500ms"' in page
    assert 'hx-post="/my/reviews/preview"' in page
    assert "<p>Short <em>and</em> sweet.</p>" in page


def test_a_returned_review_shows_the_collectives_note(client, app, login_as, review_of, make_user):
    review_id = review_of(login_as(), ReviewState.RETURNED, round=1)
    with app.app_context():
        db.session.add(
            ReviewEvent(
                review_id=review_id,
                actor_id=make_user(role="collective").id,
                action=ReviewAction.RETURNED,
                round=1,
                note="Too many <b>spoilers</b>.",
            )
        )
        db.session.commit()

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert "Returned to you with a note" in page
    assert "Too many &lt;b&gt;spoilers&lt;/b&gt;." in page


def test_a_review_waiting_for_approval_is_shown_not_edited(client, login_as, review_of):
    review_id = review_of(
        login_as(), ReviewState.SUBMITTED, round=1, submitted_at=datetime(2026, 11, 2, tzinfo=UTC)
    )

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert "Sent to the collective for approval" in page
    assert "You sent it on Nov 1, 2026" in page  # evening in New York
    assert "<textarea" not in page
    assert "Withdraw this review" in page


def test_saving_a_draft_without_javascript_comes_back_to_the_editor(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as())

    response = post(f"/my/reviews/{review_id}", {"body": "Better *now*.\r\n"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/my/reviews/{review_id}/edit"
    assert "Draft saved." in page_text(client.get(response.headers["Location"]))
    assert saved(app, review_id).body == "Better *now*."


def test_saving_with_htmx_answers_with_the_time_and_the_new_version(
    client, app, login_as, review_of, post, clock
):
    clock(datetime(2026, 11, 24, 15, 42, tzinfo=NEW_YORK))
    review_id = review_of(login_as())
    version = saved(app, review_id).version

    response = post(f"/my/reviews/{review_id}", {"body": "Saved.", "version": version}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert "Draft saved at 3:42pm." in page
    assert f'id="review-version" name="version" value="{version + 1}" hx-swap-oob="true"' in page
    assert '<div id="flash-messages" class="flash-messages" hx-swap-oob="true">' in page
    assert "<html" not in page


def test_a_text_over_the_limit_comes_back_with_the_message_by_the_field(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as())
    too_long = "word " * 2001

    for htmx in (False, True):
        response = post(f"/my/reviews/{review_id}", {"body": too_long}, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 422
        assert 'id="review-body-errors"' in page
        assert "at most 10000 characters; this one has 10004." in page
        assert too_long.strip() in page
    assert response.headers["HX-Retarget"] == "#editor"
    assert saved(app, review_id).body == GOOD_TEXT


def test_saving_over_a_change_made_elsewhere_is_refused_with_the_text_kept(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as())
    version = saved(app, review_id).version
    post(f"/my/reviews/{review_id}", {"body": "From the other tab.", "version": version})

    response = post(
        f"/my/reviews/{review_id}", {"body": "From this tab.", "version": version}, htmx=True
    )

    page = page_text(response)
    assert response.status_code == 409
    assert "This review changed meanwhile; reload and try again." in page
    assert "From this tab." in page
    assert f'name="version" value="{version + 1}"' in page
    assert saved(app, review_id).body == "From the other tab."


def test_a_change_landing_at_the_same_moment_is_a_409_not_a_500(
    client, app, login_as, review_of, post, monkeypatch
):
    review_id = review_of(login_as())
    save_draft = reviews.save_draft

    def save_while_another_request_commits(review, *args, **kwargs):
        # Another request's change lands after this one read the review, before it writes.
        db.session.connection().execute(
            text("UPDATE reviews SET version = version + 1 WHERE id = :id"), {"id": review.id}
        )
        save_draft(review, *args, **kwargs)

    monkeypatch.setattr(reviews, "save_draft", save_while_another_request_commits)

    response = post(f"/my/reviews/{review_id}", {"body": "Mine."})

    assert response.status_code == 409
    assert "This review changed meanwhile; reload and try again." in page_text(response)


def test_editing_a_published_review_leaves_the_public_text_until_approved(
    client, app, login_as, make_book, publish_review, post
):
    author = login_as()
    book = make_book()
    published = publish_review(book, author, body="The approved text.")

    post(f"/my/reviews/{published.id}", {"body": "A revised text."})

    review = saved(app, published.id)
    assert (review.state, review.body) == (ReviewState.DRAFT, "A revised text.")
    public = page_text(client.get(f"/books/{book.id}"))
    assert "The approved text." in public and "A revised text." not in public


# --- Submitting ----------------------------------------------------------------------------


def test_submitting_without_javascript_saves_the_text_and_sends_it(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as(), body="Too short.")

    response = post(f"/my/reviews/{review_id}/submit", {"body": GOOD_TEXT})

    review = saved(app, review_id)
    assert (review.state, review.round, review.body) == (
        ReviewState.SUBMITTED,
        1,
        GOOD_TEXT.strip(),
    )
    assert events_of(app, review_id) == [ReviewAction.SUBMITTED]
    assert response.headers["Location"] == "/my/"
    page = page_text(client.get("/my/"))
    assert "is sent to the collective for approval" in page
    assert 'Waiting for approval <span class="count">(1)</span>' in page


def test_submitting_with_htmx_swaps_the_editor_for_the_sent_state(
    client, login_as, review_of, post
):
    review_id = review_of(login_as())

    response = post(f"/my/reviews/{review_id}/submit", {"body": GOOD_TEXT}, htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == (
        "#editor",
        "outerHTML",
    )
    assert 'id="editor"' in page and "Sent to the collective for approval" in page
    assert "autofocus" in page
    assert "<textarea" not in page and "<html" not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_a_text_too_short_to_send_comes_back_filled_in(
    client, app, login_as, review_of, post, htmx
):
    review_id = review_of(login_as(), body="Earlier.")

    response = post(f"/my/reviews/{review_id}/submit", {"body": "Nearly done."}, htmx=htmx)

    page = page_text(response)
    assert response.status_code == 422
    assert "needs at least 100 characters before it goes to the collective" in page
    assert "Nearly done.</textarea>" in page
    assert 'aria-invalid="true"' in page
    review = saved(app, review_id)
    assert (review.state, review.body) == (ReviewState.DRAFT, "Earlier.")


def test_sending_a_review_already_waiting_says_so(client, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.SUBMITTED, round=1)

    response = post(f"/my/reviews/{review_id}/submit", {"body": GOOD_TEXT})

    assert response.status_code == 409
    assert "waiting for the collective&#39;s approval" in page_text(response)


# --- Preview -------------------------------------------------------------------------------


def test_the_preview_is_exactly_what_the_public_will_see(client, login_as):
    login_as()
    body = "A *slow* read.\n\n[our site](https://example.org)"

    response = client.post(
        "/my/reviews/preview",
        data={"body": body},
        headers={"HX-Request": "true", "X-CSRFToken": _token(client)},
    )

    assert response.status_code == 200
    assert str(render_review(body)) in page_text(response)
    assert '<div class="review-body">' in page_text(response)


def test_preview_without_javascript_redraws_the_editor_with_the_typed_text(
    client, app, login_as, review_of, post
):
    review_id = review_of(login_as(), body="Saved text.")

    response = post("/my/reviews/preview", {"body": "Typed *text*.", "review_id": review_id})

    page = page_text(response)
    assert response.status_code == 200
    assert "Typed *text*.</textarea>" in page
    assert "<p>Typed <em>text</em>.</p>" in page
    assert saved(app, review_id).body == "Saved text."


def test_a_text_too_long_to_preview_says_so(client, login_as, post):
    login_as()

    response = post("/my/reviews/preview", {"body": "x" * 10_001}, htmx=True)

    assert response.status_code == 422
    assert "at most 10000 characters" in page_text(response)


def _token(client) -> str:
    return page_text(client.get("/hours")).split('{"X-CSRFToken": "')[1].split('"')[0]


# --- Nothing a reviewer types runs in a browser --------------------------------------------

ATTACKS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<b onmouseover=alert(1)>raw html</b>",
]


def assert_harmless(html: str):
    for tag, attributes in PageElements(html).elements:
        assert tag not in {"svg", "iframe", "img", "b"}, tag
        assert tag != "script" or attributes.get("src", "").startswith("/static/"), attributes
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        assert not attributes.get("href", "").lower().startswith("javascript:"), attributes


@pytest.mark.parametrize("attack", ATTACKS)
def test_typed_html_and_scripts_never_reach_a_page_unescaped(
    client, login_as, review_of, post, attack
):
    review_id = review_of(login_as(), body=attack)

    pages = [
        post("/my/reviews/preview", {"body": attack}, htmx=True),
        post("/my/reviews/preview", {"body": attack, "review_id": review_id}),
        client.get(f"/my/reviews/{review_id}/edit"),
        client.get("/my/"),
        post(f"/my/reviews/{review_id}/submit", {"body": attack}),
    ]

    for response in pages:
        assert_harmless(page_text(response))


# --- Withdrawing ---------------------------------------------------------------------------


def test_withdrawing_asks_first_without_javascript(client, login_as, make_book, publish_review):
    published = publish_review(make_book("Dispersing Power"), login_as())

    page = page_text(client.get(f"/my/reviews/{published.id}/withdraw"))

    assert "Withdraw your review of <cite>Dispersing Power</cite>?" in page
    assert "The public will stop seeing it on the book's page." in page
    assert f'action="/my/reviews/{published.id}/withdraw" method="post"' in page
    assert f'href="/my/reviews/{published.id}/edit">No, keep it as it is' in page


def test_the_htmx_withdraw_control_confirms_in_plain_words(client, login_as, review_of):
    review_id = review_of(login_as(), ReviewState.SUBMITTED, round=1)

    page = page_text(client.get(f"/my/reviews/{review_id}/edit"))

    assert f'hx-post="/my/reviews/{review_id}/withdraw"' in page
    assert (
        'hx-confirm="Withdraw your review of “Dispersing Power”? '
        "It leaves the collective's approval queue." in page
    )


def test_withdrawing_takes_a_published_review_off_the_book_page(
    client, app, login_as, make_book, publish_review, post
):
    author = login_as()
    book = make_book("Dispersing Power")
    published = publish_review(book, author, body="Now you see it.")

    response = post(f"/my/reviews/{published.id}/withdraw")

    assert response.headers["Location"] == "/my/"
    assert "You withdrew your review of “Dispersing Power”" in page_text(client.get("/my/"))
    assert saved(app, published.id).state == ReviewState.WITHDRAWN
    assert "Now you see it." not in page_text(client.get(f"/books/{book.id}"))
    with app.app_context():
        assert db.session.get(Book, book.id).last_reviewed_at is None


def test_withdrawing_with_htmx_redraws_the_editor(client, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.SUBMITTED, round=1)

    response = post(f"/my/reviews/{review_id}/withdraw", htmx=True)

    page = page_text(response)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#editor"
    assert "Withdrawn</h2>" in page and "<textarea" in page


def test_withdrawing_twice_says_it_is_withdrawn_already(client, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.WITHDRAWN)

    response = post(f"/my/reviews/{review_id}/withdraw")

    assert response.status_code == 409
    assert "This review is already withdrawn." in page_text(response)
    assert "is already withdrawn" in page_text(client.get(f"/my/reviews/{review_id}/withdraw"))


def test_a_withdrawn_review_is_taken_up_again_by_saving_it(client, app, login_as, review_of, post):
    review_id = review_of(login_as(), ReviewState.WITHDRAWN)

    post(f"/my/reviews/{review_id}", {"body": "Again."})

    assert saved(app, review_id).state == ReviewState.DRAFT


# --- The book's page -----------------------------------------------------------------------


def test_a_signed_in_reader_is_offered_to_write_a_review_of_the_book(client, login_as, make_book):
    book = make_book()
    assert "Write a review" not in page_text(client.get(f"/books/{book.id}"))
    login_as()

    page = page_text(client.get(f"/books/{book.id}"))

    assert f'href="/my/reviews/new?book_id={book.id}">Write a review</a>' in page


def test_someone_with_a_review_of_the_book_is_offered_to_edit_it(
    client, login_as, make_book, review_of
):
    book = make_book()
    review_id = review_of(login_as(), book=book)

    page = page_text(client.get(f"/books/{book.id}"))

    assert f'href="/my/reviews/{review_id}/edit">Edit your review</a>' in page
    assert "Write a review" not in page


def test_the_book_page_makes_the_same_queries_for_a_signed_in_reader_however_many_reviews(
    client, login_as, make_book, make_user, publish_review, count_queries
):
    book = make_book(authors=["One", "Two"])
    publish_review(book, login_as())
    with count_queries() as with_one:
        assert client.get(f"/books/{book.id}").status_code == 200
    for _ in range(4):
        publish_review(book, make_user(), published_at=datetime.now(UTC) - timedelta(days=1))

    with count_queries() as with_many:
        assert client.get(f"/books/{book.id}").status_code == 200
    assert len(with_many) == len(with_one)


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_writing_pages_are_valid_html(
    tmp_path, client, app, login_as, make_book, make_user, review_of, post, request
):
    author = login_as()
    ids = {
        state: review_of(author, state, book=make_book(f"Book {state}"), round=1)
        for state in ReviewState
    }
    with app.app_context():
        db.session.add(
            ReviewEvent(
                review_id=ids[ReviewState.RETURNED],
                actor_id=make_user(role="collective").id,
                action=ReviewAction.RETURNED,
                round=1,
                note="Say more.",
            )
        )
        db.session.commit()
    pages = {
        "my-reviews": client.get("/my/"),
        "new-review": client.get("/my/reviews/new"),
        "new-review-choices": client.get("/my/reviews/new?q=book"),
        "new-review-refused": post("/my/reviews", {"q": "book"}),
        "sent": client.get(f"/my/reviews/{ids[ReviewState.SUBMITTED]}/edit"),
        "withdraw": client.get(f"/my/reviews/{ids[ReviewState.PUBLISHED]}/withdraw"),
        "too-short": post(f"/my/reviews/{ids[ReviewState.DRAFT]}/submit", {"body": "Short."}),
        "book-page": client.get(f"/books/{make_book().id}"),
    }
    for state in (ReviewState.DRAFT, ReviewState.RETURNED, ReviewState.WITHDRAWN):
        pages[f"edit-{state}"] = client.get(f"/my/reviews/{ids[state]}/edit")
    files = []
    for name, response in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.data)

    errors = check_html(request.getfixturevalue("nu_html_checker"), files)

    assert not errors, "HTML errors:\n" + describe(errors)
