"""A volunteer's own reviews, under /my/."""

from flask import Blueprint

bp = Blueprint("volunteer", __name__, url_prefix="/my")
