"""Review text: Markdown in, safe HTML out."""

from html.parser import HTMLParser

import pytest

from firestorm.text import render_review


class ElementCollector(HTMLParser):
    """The real elements and attributes in some HTML, as a browser would build them."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_markdown_becomes_paragraphs_emphasis_and_lists():
    html = render_review("A *slow* read.\n\n- councils\n- markets")

    assert "<p>A <em>slow</em> read.</p>" in html
    assert "<li>councils</li>" in html


def test_links_are_marked_as_user_content_that_search_engines_should_not_follow():
    html = render_review("[our site](https://example.org)")

    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "<svg onload=alert(1)><circle/></svg>",
        '<iframe src="https://evil.example"></iframe>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_nothing_a_reviewer_types_can_run_in_a_readers_browser(attack):
    elements = ElementCollector(render_review(attack)).elements

    assert {tag for tag, _ in elements} <= {"p", "a"}
    for _, attributes in elements:
        assert not [name for name in attributes if name.startswith("on")]
        assert not attributes.get("href", "https:").lower().startswith(("javascript", "data"))
