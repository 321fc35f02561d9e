"""MAX_CONTENT_LENGTH for bodies sent without a length (chunked): refused with 413, never cut
short and processed as if that were all that was sent."""

import io

from flask import Flask, abort, current_app, request


def read_whole_chunked_body() -> None:
    """Werkzeug stops reading a chunked body at the limit and hands the form what it has, so a
    long review would be saved cut off. Read it here, before anything parses the form: past the
    limit it is refused; within it, the request continues with the body and its length known."""
    environ = request.environ
    if request.content_length is not None or not environ.get("wsgi.input_terminated"):
        return
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit is None:
        return
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        abort(413)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


def register(app: Flask) -> None:
    # First of all before_request functions: CSRF protection reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, read_whole_chunked_body)
