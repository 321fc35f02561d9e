"""Uploaded cover images, served from the covers folder with a cache that never expires."""

from flask import abort, current_app, send_from_directory
from flask.typing import ResponseReturnValue

from firestorm.catalog import covers
from firestorm.public import bp

# A cover's file name is a hash of its content: the same URL never shows another image.
CACHE_FOR_EVER = "public, max-age=31536000, immutable"


@bp.get("/covers/<name>")
def cover_file(name: str) -> ResponseReturnValue:
    # Only names covers.py makes, so nothing else in the folder (nor outside it) is reachable.
    if not covers.FILE_NAME.fullmatch(name):
        abort(404)
    response = send_from_directory(
        current_app.config["COVERS_DIR"], name, mimetype="image/webp", conditional=True
    )
    response.headers["Cache-Control"] = CACHE_FOR_EVER
    return response
