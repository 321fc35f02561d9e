"""Who may open the pages under /collective/ (the approval queue, invitations) and decide
through them: strangers are sent to sign in, volunteers are refused, and every decision needs
the CSRF token. What members do with invitations: test_invitations.py."""

from urllib.parse import parse_qs, urlsplit

from review_helpers import (
    HTMX,
    approve_path,
    as_drawn,
    history_of,
    not_found_page,
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


def test_a_stranger_deciding_with_htmx_is_told_in_place(client, app, people, submit):
    review_id = submit(people["robin"])

    for path in (approve_path(review_id), return_path(review_id)):
        response = client.post(
            path, data={"csrf_token": token_of(client), "note": "No."}, headers=HTMX
        )

        assert response.status_code == 401, path
        assert "You're signed out." in page_text(response)
        assert "<html" not in page_text(response)
    assert history_of(app, review_id) == [("submitted", "Robin", "")]


def collective_routes(app, review_id) -> list[tuple[str, str]]:
    """(method, path) for every route the app has under /collective/, read from its URL map, so
    a route added later is checked too."""
    adapter = app.url_map.bind("localhost")
    return sorted(
        (method, adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, review_id)))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/collective/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def test_every_route_under_collective_is_closed_to_strangers_and_volunteers(
    client, app, people, submit, login_as, csrf_token
):
    review_id = submit(people["robin"])
    routes = collective_routes(app, review_id)
    assert {path for _, path in routes} >= {
        "/collective/queue",
        "/collective/invitations",
        approve_path(review_id),
        return_path(review_id),
    }
    data = {"csrf_token": csrf_token(), "note": "No.", "email": "new@example.org"}

    for method, path in routes:
        signed_out = client.open(path, method=method, data=data)
        assert signed_out.status_code == 302, path
        assert urlsplit(signed_out.headers["Location"]).path == "/login", path
        in_place = client.open(path, method=method, data=data, headers=HTMX)
        assert in_place.status_code == 401, path
    login_as("volunteer")
    for method, path in routes:
        for headers in ({}, HTMX):
            refused = client.open(path, method=method, data=data, headers=headers)
            assert refused.status_code == 403, (method, path, headers)
    assert history_of(app, review_id) == [("submitted", "Robin", "")]


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
        not_found_page(post(path, {"note": "Hmm."}))


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

    # The form's own field (the round the queue showed), the token in the header alone.
    response = client.post(
        approve_path(review_id),
        data=as_drawn(app, review_id),
        headers={**HTMX, "X-CSRFToken": token_of(client)},
    )

    assert response.status_code == 200
    assert saved(app, review_id).state == ReviewState.PUBLISHED


def test_a_route_added_to_the_collective_later_is_guarded_without_any_decorator(
    other_app, make_user
):
    """The blueprint checks every request to it (web/access.collective_members_only), so a new
    route needs nothing of its own. Added to a fresh app under the blueprint's name, as Flask
    files a blueprint's routes (the blueprint itself is registered already, and closed)."""
    app = other_app()
    app.add_url_rule(
        "/collective/added-later",
        endpoint="collective.added_later",
        view_func=lambda: "Only for members.",
        methods=["GET", "POST"],
    )
    client = app.test_client()

    stranger = client.get("/collective/added-later")
    assert stranger.status_code == 302
    location = urlsplit(stranger.headers["Location"])
    assert (location.path, parse_qs(location.query)["next"]) == (
        "/login",
        ["/collective/added-later"],
    )
    assert client.get("/collective/added-later", headers=HTMX).status_code == 401
    sign_in_client(client, make_user(role="volunteer"))
    for headers in ({}, HTMX):
        assert client.get("/collective/added-later", headers=headers).status_code == 403
        posted = client.post(
            "/collective/added-later", data={"csrf_token": token_of(client)}, headers=headers
        )
        assert posted.status_code == 403
    sign_in_client(client, make_user(role="collective"))
    member = client.get("/collective/added-later")
    assert (member.status_code, page_text(member)) == (200, "Only for members.")
