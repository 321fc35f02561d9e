"""The covers' storage this app's settings chose (made once, at start), and the address a page
links each cover image at: the site's /covers/<name>, or the bucket's public address."""

from urllib.parse import urlsplit

from flask import Flask, current_app, url_for

from firestorm.catalog.cover_storage import CoverStorage, storage_from_settings
from firestorm.catalog.covers import CoverImage
from firestorm.web.site_address import absolute_url


def register(app: Flask) -> None:
    app.extensions["cover_storage"] = storage_from_settings(app.config)
    app.add_template_filter(cover_src)


def cover_storage() -> CoverStorage:
    storage: CoverStorage = current_app.extensions["cover_storage"]
    return storage


def cover_src(image: CoverImage) -> str:
    """The image's address as a page links it (`{{ image | cover_src }}`)."""
    return cover_storage().public_url(image.file_name) or url_for(
        "public.cover_file", name=image.file_name
    )


def cover_absolute_url(image: CoverImage) -> str:
    """The image's absolute address, for shared links and search engines."""
    return cover_storage().public_url(image.file_name) or absolute_url(
        "public.cover_file", name=image.file_name
    )


def image_origin(app: Flask) -> str:
    """The origin cover images come from when it is not the site's own (the CSP's img-src),
    or ""."""
    public = app.extensions["cover_storage"].public_url("")
    if not public:
        return ""
    parts = urlsplit(public)
    return f"{parts.scheme}://{parts.netloc}"
