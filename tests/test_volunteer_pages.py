"""A volunteer's review pages under /my/: who may open them, the list of my reviews, and valid
HTML on all of them. Starting a review: test_new_review_pages.py; the editor, sending and
withdrawing: test_review_editor.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
from html_checks import check_html, describe_html_errors, save_responses
from review_helpers import GOOD_TEXT, as_drawn, not_found_page, page_text, saved

from firestorm.reviews.models import ReviewState

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
        headers={"HX-Request": "true", "HX-Request-Type": "partial"},
    )

    assert response.status_code == 401
    assert "You're signed out." in page_text(response)
    assert "<html" not in page_text(response)


@pytest.mark.parametrize("role", ["volunteer", "collective"])
def test_volunteers_and_collective_members_both_write_reviews(client, login_as, make_book, role):
    make_book("Dispersing Power", authors=["Raúl Zibechi"])
    login_as(role)

    pages = {
        "/my/": "<h1>My reviews</h1>",
        "/my/reviews/new": "<h1>Write a review</h1>",
        "/my/books/choices?q=power": "Dispersing Power",
    }
    for path, words in pages.items():
        assert words in page_text(client.get(path), status=200), path


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
        assert "The Author" not in not_found_page(response), path
    assert post("/my/reviews/preview", {"review_id": review_id}).status_code == 404
    review = saved(app, review_id)
    assert (review.state, review.body) == (ReviewState.DRAFT, GOOD_TEXT)


def test_an_unknown_or_absurd_review_number_is_not_found(client, login_as):
    login_as()

    for path in ("/my/reviews/999/edit", f"/my/reviews/{2**40}/edit", "/my/reviews/x/edit"):
        not_found_page(client.get(path))


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

    by_form = client.post(
        path, data={**as_drawn(app, review_id), "csrf_token": csrf_token(), "body": "By the form."}
    )
    by_header = client.post(
        path,
        data={**as_drawn(app, review_id), "body": "By the header."},
        headers={"HX-Request": "true", "HX-Request-Type": "partial", "X-CSRFToken": csrf_token()},
    )

    assert (by_form.status_code, by_header.status_code) == (302, 200)
    assert saved(app, review_id).body == "By the header."


# --- My reviews ----------------------------------------------------------------------------


def test_my_reviews_are_grouped_by_state_with_counts_and_empty_states(
    client, login_as, make_user, make_book, review_of, note_a_return
):
    author = login_as()
    review_of(author, book=make_book("Drafted Book"))
    review_of(author, book=make_book("Another Draft"))
    returned_id = review_of(author, ReviewState.SUBMITTED, book=make_book("Returned Book"))
    review_of(make_user(), book=make_book("Someone Else's Book"))
    note_a_return(returned_id, "Please say who it is for.")

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
    app, client, login_as, make_book, publish_review, post
):
    author = login_as()
    published = publish_review(make_book(), author, body=GOOD_TEXT)
    post(
        f"/my/reviews/{published.id}",
        {**as_drawn(app, published.id), "body": GOOD_TEXT + " Revised."},
    )

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


# --- Valid HTML ----------------------------------------------------------------------------


def test_the_writing_pages_are_valid_html(
    tmp_path, client, login_as, make_book, review_of, post, nu_html_checker
):
    author = login_as()
    ids = {
        state: review_of(author, state, book=make_book(f"Book {state}"), note="Say more.")
        for state in ReviewState
    }
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

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
