"""Uploaded cover images, served from where COVER_STORAGE keeps them with a cache that never
expires (a web server in front may serve the covers folder itself); and each as a JPEG made
from it, for what reads no WebP."""

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
    if covers.FILE_NAME.fullmatch(name):
        data, mimetype = cover_storage().read(name), CONTENT_TYPE
    elif covers.JPEG_NAME.fullmatch(name):
        # Made on each request (a few milliseconds): whoever fetches it keeps it for a year.
        webp = cover_storage().read(covers.webp_name(name))
        data, mimetype = (covers.as_jpeg(webp) if webp else None), "image/jpeg"
    else:
        abort(404)
    if data is None:
        abort(404)
    # The name is a hash of the image: it is the ETag, whoever stores the bytes.
    response = send_file(io.BytesIO(data), mimetype=mimetype, etag=name, conditional=True)
    response.headers["Cache-Control"] = CACHE_FOR_EVER
    return response
