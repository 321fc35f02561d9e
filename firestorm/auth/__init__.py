"""Signing in and out, a forgotten password, accepting an invitation, and the account page."""

from flask import Blueprint

from firestorm.web import navigation

bp = Blueprint("auth", __name__)

navigation.add_link(navigation.YOURS, "auth.account", "Your account", 90)

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.auth import reset_routes, routes  # noqa: E402, F401
