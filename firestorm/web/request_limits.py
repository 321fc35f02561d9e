"""What request bodies the site reads: MAX_CONTENT_LENGTH for bodies sent without a length
(chunked), refused with 413, never cut short and processed as if that were all that was sent;
and only what the forms can read: no JSON, no multipart part without a field name."""

import io

from flask import Flask, abort, current_app, request

# The methods Flask-WTF reads a submitted form from.
FORM_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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


def refuse_what_forms_cannot_read() -> None:
    """Every form here is an HTML form, read by Flask-WTF. It would read a JSON body as the
    form too, handing fields numbers, lists and objects where they expect text, or failing
    outright on a list: refused with 415. Werkzeug keeps a multipart part that names no field
    under the key None, on which the CSRF check fails: refused with 400. Both before anything
    reads the form."""
    if request.method not in FORM_METHODS:
        return
    if request.is_json:
        abort(415)
    if request.mimetype == "multipart/form-data" and (
        None in request.form or None in request.files
    ):
        abort(400)


def register(app: Flask) -> None:
    # First of all before_request functions: CSRF protection reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, read_whole_chunked_body)
    app.before_request_funcs[None].insert(1, refuse_what_forms_cannot_read)
