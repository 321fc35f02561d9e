"""Who may open the approval queue under /collective/ and decide through it: strangers are sent
to sign in, volunteers are refused, and every decision needs the CSRF token."""

from urllib.parse import parse_qs, urlsplit

from review_helpers import (
    HTMX,
    approve_path,
    history_of,
    page_text,
    return_path,
    saved,
    sign_in_client,
    token_of,
)

from firestorm.reviews.models import ReviewState


def every_route(review_id):
    return [
        ("GET", "/collective/queue"),
        ("POST", approve_path(review_id)),
        ("POST", return_path(review_id)),
    ]


def test_strangers_are_sent_to_sign_in_and_nothing_changes(client, app, people, submit):
    review_id = submit(people["robin"])
    token = token_of(client)

    for method, path in every_route(review_id):
        response = client.open(path, method=method, data={"csrf_token": token, "note": "No."})

        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path]), path
    assert history_of(app, review_id) == [("submitted", "Robin", "")]


def test_a_stranger_deciding_with_htmx_is_told_in_place(client, people, submit):
    review_id = submit(people["robin"])

    response = client.post(
        approve_path(review_id), data={"csrf_token": token_of(client)}, headers=HTMX
    )

    assert response.status_code == 401
    assert "You're signed out." in page_text(response)


def test_volunteers_cannot_open_the_queue_or_decide(client, app, people, submit, login_as, post):
    review_id = submit(people["robin"])
    login_as("volunteer")

    assert client.get("/collective/queue").status_code == 403
    for htmx in (False, True):
        assert post(approve_path(review_id), htmx=htmx).status_code == 403
        assert post(return_path(review_id), {"note": "Mine now."}, htmx=htmx).status_code == 403
    # Not even the author, on their own review.
    sign_in_client(client, people["robin"])
    assert post(approve_path(review_id)).status_code == 403
    review = saved(app, review_id)
    assert (review.state, review.published_body) == (ReviewState.SUBMITTED, None)
    assert history_of(app, review_id) == [("submitted", "Robin", "")]


def test_volunteers_are_not_shown_the_queue_in_the_navigation(client, login_as):
    login_as("volunteer")

    page = page_text(client.get("/my/"))

    assert "/collective/queue" not in page and "Approval queue" not in page


def test_collective_members_open_the_queue_from_the_navigation(client, people, submit, login_as):
    submit(people["robin"])
    submit(people["robin"])
    login_as("collective")

    response = client.get("/collective/queue")

    page = page_text(response)
    assert response.status_code == 200
    assert 'href="/collective/queue" aria-current="page">Approval queue' in page
    assert '<span class="count-badge">2</span><span class="visually-hidden"> waiting</span>' in page
    assert '<meta name="robots" content="noindex">' in page


def test_an_unknown_review_is_not_found(client, login_as, post):
    login_as("collective")

    for path in (approve_path(999), return_path(999), approve_path(2**40), approve_path("x")):
        assert post(path, {"note": "Hmm."}).status_code == 404, path


def test_deciding_without_the_csrf_token_is_refused(client, app, people, submit, as_member):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    for path in (approve_path(review_id), return_path(review_id)):
        response = client.post(path, data={"note": "No token."})
        assert response.status_code == 400
        assert "This form has expired" in page_text(response)
    assert saved(app, review_id).state == ReviewState.SUBMITTED


def test_the_csrf_token_may_come_in_the_htmx_header_alone(client, app, people, submit, as_member):
    review_id = submit(people["robin"])
    as_member(people["sam"])

    response = client.post(
        approve_path(review_id), headers={**HTMX, "X-CSRFToken": token_of(client)}
    )

    assert response.status_code == 200
    assert saved(app, review_id).state == ReviewState.PUBLISHED
