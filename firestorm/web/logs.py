"""Logging: one line per event on stderr, at the configured level, with private links
(invitations, password resets, holds' own pages) redacted from every line, ours, the
development server's and gunicorn's access log alike."""

import logging
import re
import sys
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, TextIO, TypeAlias, cast

from flask import Flask
from gunicorn.glogging import Logger as GunicornBaseLogger
from gunicorn.http.message import Request
from gunicorn.http.wsgi import Response

if TYPE_CHECKING:
    from gunicorn._types import _EnvironType
    from gunicorn.glogging import _AtomsDict

# What logging.Formatter.formatException is handed: sys.exc_info()'s triple.
ExcInfo: TypeAlias = (
    tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# An invitation link is a password until it is used, and so is a password reset link
# (/password/reset/<token>); a hold's link (/holds/<token>, the customer's page) is one for
# as long as the hold lasts: none may sit in a log file. The
# Referer of a page's images and styles carries them too. The desk's /collective/holds/<id>
# is no secret, and stays. An event sign-up's link (/sign-ups/<token>) is one until the purge.
PRIVATE_PATH = re.compile(
    r"(/invite/|/password/reset/|(?<!/collective)/holds/|/sign-ups/)[^\s\"'?#/]+"
)


def redact(text: str) -> str:
    """ "/invite/[redacted]", "/holds/[redacted]/cancel": what kind of link it was stays."""
    return PRIVATE_PATH.sub(r"\1[redacted]", text)


# PostgreSQL explains a refused row in a DETAIL line that quotes its values ("Failing row
# contains (…, robin@example.org, $argon2id$…)"): hide_parameters cannot reach it.
DATABASE_DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)


class SafeFormatter(logging.Formatter):
    """Tracebacks without the row values a database error quotes, and without private
    links."""

    def formatException(self, exc_info: ExcInfo) -> str:  # noqa: N802 - logging's own name
        text = super().formatException(exc_info)
        return redact(DATABASE_DETAIL.sub("DETAIL: [row values hidden]", text))


class RedactPrivateLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if PRIVATE_PATH.search(message):
            record.msg, record.args = redact(message), ()
        return True


class RedactingGunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with private links taken out of the access log's request line, path
    and referer (`logger_class` in gunicorn.conf.py)."""

    def atoms(
        self, resp: Response, req: Request, environ: "_EnvironType", request_time: timedelta
    ) -> "_AtomsDict":
        atoms = super().atoms(resp, req, environ, request_time)
        redacted = {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
        # The same atoms, their texts redacted: still the dict gunicorn's format reads.
        return cast("_AtomsDict", redacted)


class OurHandler(logging.StreamHandler[TextIO]):
    """The handler configure_logging adds, known again when an app is made a second time."""


# Loggers that write to stderr at LOG_LEVEL: the app's, and Flask-Limiter's, whose only handler
# is a NullHandler: without ours, "Rate limit storage unreachable - falling back to in-memory
# storage" (Redis down) and "Rate limit storage recovered" would reach no log.
OUR_LOGGERS = ("firestorm", "flask-limiter")


def configure_logging(app: Flask) -> None:
    """The app's loggers ("firestorm" and below) and Flask-Limiter's write to stderr at
    LOG_LEVEL."""
    handler = OurHandler(sys.stderr)
    handler.setFormatter(SafeFormatter(LOG_FORMAT))
    handler.addFilter(RedactPrivateLinks())
    for name in OUR_LOGGERS:
        logger = logging.getLogger(name)
        # create_app may run more than once in a process (tests): one handler, not one per app.
        for old in [h for h in logger.handlers if isinstance(h, OurHandler)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(app.config["LOG_LEVEL"])
    # The development server's request lines.
    werkzeug_logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactPrivateLinks) for f in werkzeug_logger.filters):
        werkzeug_logger.addFilter(RedactPrivateLinks())
