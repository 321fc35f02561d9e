"""Uploaded cover images, served from where COVER_STORAGE keeps them with a cache that never
expires (a web server in front may serve the covers folder itself)."""

import io

from flask import abort, send_file
from flask.typing import ResponseReturnValue

from firestorm.catalog import covers
from firestorm.catalog.cover_storage import CACHE_FOR_EVER, CONTENT_TYPE
from firestorm.public import bp
from firestorm.web.cover_files import cover_storage


@bp.get("/covers/<name>")
def cover_file(name: str) -> ResponseReturnValue:
    # Only names covers.py makes, so nothing else in the folder (nor outside it) is reachable.
    if not covers.FILE_NAME.fullmatch(name):
        abort(404)
    data = cover_storage().read(name)
    if data is None:
        abort(404)
    # The name is a hash of the image: it is the ETag, whoever stores the bytes.
    response = send_file(
        io.BytesIO(data), mimetype=CONTENT_TYPE, etag=name.removesuffix(".webp"), conditional=True
    )
    response.headers["Cache-Control"] = CACHE_FOR_EVER
    return response
