"""Packages import downwards only (docs/architecture.md, "Layers"): every import under
firestorm/, at the top of a module or inside a function, relative or not, read with ast."""

import ast
from itertools import pairwise
from pathlib import Path

FIRESTORM = Path(__file__).resolve().parent.parent / "firestorm"

# The layers, top first: a package imports from the layers below its own, never from one above.
# Within a layer a package may use another (notices are about reviews) as long as no cycle
# results. "firestorm" is firestorm/__init__.py: create_app.
LAYERS = {
    "the app": {"firestorm", "cli", "production"},
    "audiences": {"public", "auth", "volunteer", "collective"},
    "web plumbing": {"web"},
    "features": {
        "reviews",
        "holds",
        "notices",
        "shelf_talkers",
        "backups",
        "search",
        "csv",
        "sharing",
        "book_lookup",
        "receiving",
        "events",
    },
    "base concepts": {"catalog", "people", "shop", "outbox"},
    "basics": {
        "database",
        "config",
        "settings",
        "extensions",
        "mail",
        "pagination",
        "refusals",
        "typed_text",
    },
}
# The audience blueprints share nothing with each other but what web/ gives them all.
APART = "audiences"

RANK = {package: rank for rank, layer in enumerate(LAYERS.values()) for package in layer}
LAYER_OF = {package: name for name, layer in LAYERS.items() for package in layer}


def module_name(path: Path) -> str:
    parts = path.relative_to(FIRESTORM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """Its package: "catalog" for firestorm.catalog.books, "config" for firestorm.config."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports_in(source: str, module: str, is_package: bool, known: set[str]) -> list[tuple]:
    """(module imported, line) for every import of a firestorm module in `source`, wherever it
    stands: a relative one resolved, and `from firestorm import typed_text` read as the module
    typed_text, not as create_app's package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(filter(None, [*here, node.module]))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((submodule if submodule in known else base, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] == "firestorm"]


def package_imports() -> dict[tuple[str, str], list[str]]:
    """{(importing package, imported package): ["catalog/books.py:16", …]} across packages."""
    paths = sorted(FIRESTORM.rglob("*.py"))
    known = {module_name(path) for path in paths}
    edges: dict[tuple[str, str], list[str]] = {}
    for path in paths:
        module = module_name(path)
        source = path.read_text()
        for imported, line in imports_in(source, module, path.name == "__init__.py", known):
            edge = (package_of(module), package_of(imported))
            if edge[0] != edge[1]:
                where = f"{path.relative_to(FIRESTORM)}:{line}"
                places = edges.setdefault(edge, [])
                if where not in places:
                    places.append(where)
    return edges


def cycles(edges) -> list[list[str]]:
    """Each group of packages that reach one another through their imports (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for importer, imported in edges:
        graph.setdefault(importer, set()).add(imported)
        graph.setdefault(imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(package: str) -> None:
        index[package] = low[package] = len(index)
        stack.append(package)
        for other in sorted(graph[package]):
            if other not in index:
                visit(other)
                low[package] = min(low[package], low[other])
            elif other in stack:
                low[package] = min(low[package], index[other])
        if low[package] == index[package]:
            group = []
            while not group or group[-1] != package:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for package in sorted(graph):
        if package not in index:
            visit(package)
    return groups


def test_every_package_has_its_layer():
    packages = {package_of(module_name(path)) for path in FIRESTORM.rglob("*.py")}

    assert packages - set(RANK) == set(), "put the new package in a layer in LAYERS"
    assert set(RANK) - packages == set(), "LAYERS names a package that is gone"


def test_no_cycle_between_packages():
    edges = package_imports()

    said = [
        " → ".join(steps) + ": " + "; ".join(", ".join(edges[step]) for step in pairwise(steps))
        for steps in map(lambda group: a_way_round(group, edges), cycles(edges))
    ]
    assert not said, "\n".join(["packages in a cycle:", *said])


def a_way_round(group: list[str], edges) -> list[str]:
    """The shortest way from the group's first package back to itself, for the message."""
    start, ways = group[0], [[group[0]]]
    while ways:
        way = ways.pop(0)
        for other in group:
            if (way[-1], other) in edges:
                if other == start:
                    return [*way, start]
                if other not in way:
                    ways.append([*way, other])
    return group


def test_no_package_imports_from_a_layer_above_its_own():
    upward = [
        f"{', '.join(places)}: {importer} ({LAYER_OF[importer]}) imports {imported} "
        f"({LAYER_OF[imported]})"
        for (importer, imported), places in sorted(package_imports().items())
        if RANK[imported] < RANK[importer]
    ]

    assert not upward, "\n".join(["imports from a layer above:", *upward])


def test_the_audience_blueprints_share_nothing_but_web():
    between = {
        edge for edge in package_imports() if LAYER_OF[edge[0]] == LAYER_OF[edge[1]] == APART
    }

    assert between == set()


def test_the_reader_finds_imports_in_functions_and_relative_ones():
    source = (
        "from firestorm import typed_text, create_app\n"
        "from . import isbn\n"
        "def later():\n"
        "    from ..holds.models import Hold\n"
        "    import firestorm.reviews.models\n"
    )
    known = {"firestorm.typed_text", "firestorm.catalog.isbn", "firestorm.holds.models"}

    found = imports_in(source, "firestorm.catalog.books", False, known)

    assert found == [
        ("firestorm.typed_text", 1),
        ("firestorm", 1),
        ("firestorm.catalog.isbn", 2),
        ("firestorm.holds.models", 4),
        ("firestorm.reviews.models", 5),
    ]


def test_a_cycle_of_three_is_found():
    edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}

    assert cycles(edges) == [["a", "b", "c"]]
