"""The site's menus, filled by the blueprints: each adds the links to its own pages (in its
__init__.py), so a feature's pages join the header, and for the public the sitemap, without an
edit to a template or to a list elsewhere."""

from dataclasses import dataclass
from typing import TypedDict, Unpack

from flask import Flask

# Everyone's: the public pages, in the header of every page and in /sitemap.xml.
MAIN = "main"
# A signed-in person's, under "Your pages"; collective_only links are for members alone.
YOURS = "yours"


@dataclass(frozen=True)
class Link:
    """A link in a menu. `weight` places it (lower first); `current_on` names the other
    endpoints, or whole blueprints by their name, where it is the current page too; `count` is
    the partial that draws a count beside its label (and is sent out of band when it changes)."""

    endpoint: str
    label: str
    weight: int
    current_on: tuple[str, ...] = ()
    count: str = ""
    collective_only: bool = False

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        blueprint = endpoint.partition(".")[0]
        return (
            endpoint == self.endpoint or endpoint in self.current_on or blueprint in self.current_on
        )


_menus: dict[str, list[Link]] = {MAIN: [], YOURS: []}


class LinkPlacing(TypedDict, total=False):
    """Where a menu link is the current page too, and the count beside it (see Link)."""

    current_on: tuple[str, ...]
    count: str


class LinkDetails(LinkPlacing, total=False):
    """What a menu link may say besides where it goes, its label and its weight (see Link)."""

    collective_only: bool


def add_link(
    menu: str, endpoint: str, label: str, weight: int, **details: Unpack[LinkDetails]
) -> None:
    links = _menus[menu]
    links.append(Link(endpoint, label, weight, **details))
    links.sort(key=lambda link: link.weight)


def links(menu: str) -> list[Link]:
    return list(_menus[menu])


def register(app: Flask) -> None:
    app.jinja_env.globals.update(menu=links)
