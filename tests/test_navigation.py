"""The menus and the sitemap a feature adds its pages to from its own blueprint
(firestorm/web/navigation.py, firestorm/public/sitemap.py): a new page shows in every page's
header, in its place, and in /sitemap.xml, with no edit to a template or a list elsewhere."""

import re

import pytest
from flask import Blueprint
from review_helpers import sign_in_client
from sqlalchemy import literal, select

from firestorm.public import sitemap
from firestorm.web import navigation


@pytest.fixture
def zines_site(other_app, monkeypatch):
    """A site with a blueprint of the kind a feature brings (a zine library, which the site
    doesn't have): a page in the main menu, a desk for the collective, and a page per zine in
    the sitemap (menus and sitemap restored afterwards)."""
    monkeypatch.setattr(navigation, "_menus", {m: navigation.links(m) for m in navigation._menus})
    monkeypatch.setattr(sitemap, "_sections", list(sitemap._sections))
    zines = Blueprint("zines", __name__)
    zines.add_url_rule("/zines", "zines_page", lambda: "The zine library")
    zines.add_url_rule("/zines/<int:zine_id>", "zine_page", lambda zine_id: "A zine")
    zines.add_url_rule("/collective/zines", "desk", lambda: "The zine desk")
    navigation.add_link(navigation.MAIN, "zines.zines_page", "Zines", 47)
    navigation.add_link(navigation.YOURS, "zines.desk", "Zine library", 67, collective_only=True)
    sitemap.add_section(
        35,
        select(literal(7)),
        lambda zine_id: sitemap.Entry("zines.zine_page", {"zine_id": zine_id}),
    )
    site = other_app()
    site.register_blueprint(zines)
    return site


def menu_of(page: str, label: str) -> list[str]:
    """The labels in the navigation named `label`, in order."""
    nav = page.split(f'aria-label="{label}"')[1].split("</nav>")[0]
    return [label.strip() for label in re.findall(r'<a href="[^"]*"[^>]*>([^<]+)', nav)]


def test_a_page_a_blueprint_adds_shows_in_the_main_menu_in_its_place(zines_site):
    page = zines_site.test_client().get("/").get_data(as_text=True)

    assert menu_of(page, "Main") == [
        "Home",
        "Books",
        "Shelves",
        "Reviews",
        "Events",
        "Zines",
        "Hours",
        "About",
    ]


def test_a_page_a_blueprint_adds_is_listed_in_the_sitemap_in_its_place(zines_site, make_book):
    make_book("Dispersing Power")

    sitemap_xml = zines_site.test_client().get("/sitemap.xml").get_data(as_text=True)

    addresses = re.findall(r"<loc>https://books.example.org([^<]*)</loc>", sitemap_xml)
    assert addresses[:8] == [
        "/",
        "/books",
        "/shelves",
        "/reviews",
        "/events",
        "/zines",
        "/hours",
        "/about",
    ]
    assert addresses[8] == "/zines/7", "after the main menu's pages, before the books"
    assert addresses[9].startswith("/books/")


def test_a_desk_a_blueprint_adds_is_for_collective_members_only(zines_site, make_user):
    browser = zines_site.test_client()
    for role, desks in [
        (
            "collective",
            [
                "Approval queue",
                "Holds",
                "Catalog desk",
                "Receive a delivery",
                "Shelves",
                "Hours",
                "Events",
                "Zine library",
                "People",
            ],
        ),
        ("volunteer", []),
    ]:
        person = make_user(role, email=f"{role}@example.org")
        sign_in_client(browser, person)

        yours = menu_of(browser.get("/my/").get_data(as_text=True), "Your pages")

        assert yours == ["My reviews", *desks, "Your account"]
