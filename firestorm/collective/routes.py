"""The collective's pages, under /collective/."""

from flask import Blueprint

bp = Blueprint("collective", __name__, url_prefix="/collective")
