"""Review text: Markdown in, safe HTML out; and what a revision changes, word by word."""

from difflib import SequenceMatcher

import pytest
from html_checks import XSS_ATTACKS, PageElements
from markupsafe import Markup

from firestorm.reviews import rendering
from firestorm.reviews.rendering import plain_excerpt, plain_text, render_markdown, text_changes


def test_markdown_becomes_paragraphs_emphasis_and_lists():
    html = render_markdown("A *slow* read.\n\n- councils\n- markets")

    assert "<p>A <em>slow</em> read.</p>" in html
    assert "<li>councils</li>" in html


def test_links_are_marked_as_user_content_that_search_engines_should_not_follow():
    html = render_markdown("[our site](https://example.org)")

    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc"' in html


@pytest.mark.parametrize(
    "attack",
    XSS_ATTACKS
    + [
        "[click](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_nothing_a_reviewer_types_can_run_in_a_readers_browser(attack):
    elements = PageElements(render_markdown(attack)).elements

    assert {tag for tag, _ in elements} <= {"p", "a"}
    for _, attributes in elements:
        assert not [name for name in attributes if name.startswith("on")]
        assert not attributes.get("href", "https:").lower().startswith(("javascript", "data"))


# --- What a revision changes -------------------------------------------------------------


def test_an_unchanged_text_has_nothing_marked():
    assert text_changes("A slow read.", "A slow read.") == "A slow read."


def test_a_changed_word_shows_what_went_and_what_came():
    changes = text_changes("A slow read, and worth it.", "A quick read, and worth it.")

    assert changes == "A <del>slow</del><ins>quick</ins> read, and worth it."


def test_added_and_removed_words_are_marked_on_their_own():
    assert text_changes("A read.", "A slow read.") == "A <ins>slow</ins> read."
    assert text_changes("A slow read.", "A read.") == "A <del>slow</del> read."


def test_punctuation_is_compared_apart_from_the_word_it_follows():
    changes = text_changes("A slow read.", "A slow, careful read.")

    assert changes == "A slow<ins>, careful</ins> read."


def test_neighbouring_changed_words_are_marked_as_one():
    changes = text_changes("The cat sat on the mat.", "The dog lay on the mat.")

    assert changes == "The <del>cat sat</del><ins>dog lay</ins> on the mat."


def test_a_change_of_spacing_alone_is_not_a_change_of_words():
    assert text_changes("First.\n\nSecond.", "First. Second.") == "First. Second."
    assert text_changes("one two", "one  two") == "one  two"


def test_markdown_is_compared_as_typed_so_a_new_emphasis_shows():
    changes = text_changes("A slow read.", "A *slow* read.")

    assert changes == "A <ins>*</ins>slow<ins>*</ins> read."


def test_a_whole_text_added_or_removed():
    assert text_changes("", "New text.") == "<ins>New text.</ins>"
    assert text_changes("Old text.", "") == "<del>Old text.</del>"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Fine.", "Fine. <script>alert(1)</script>"),
        ("<img src=x onerror=alert(1)> Fine.", "Fine."),
        ('Read "this" & <b>that</b>.', "Read 'this' & <i>that</i>."),
    ],
)
def test_every_piece_of_either_text_is_escaped(old, new):
    changes = text_changes(old, new)

    assert isinstance(changes, Markup)
    elements = PageElements(changes).elements
    assert elements and {tag for tag, _ in elements} <= {"del", "ins"}
    assert all(attributes == {} for _, attributes in elements)
    assert "&lt;" in changes


class CountingMatcher(SequenceMatcher):
    """difflib's matcher, counting the word pairs it looks at: its cost, read the same on a
    quiet machine and a busy one (a timed test would be neither)."""

    pairs_looked_at = 0

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        CountingMatcher.pairs_looked_at += sum(
            len(self.b2j.get(word, ())) for word in self.a[alo:ahi]
        )
        return super().find_longest_match(alo, ahi, blo, bhi)


@pytest.mark.parametrize(
    "old",
    [
        " ".join(f"word{n}" for n in range(1700)),
        # One word thousands of times: the worst case for matching words, kept in bounds.
        " ".join(["a"] * 5000),
    ],
    ids=["long-review", "one-word-repeated"],
)
def test_a_revision_as_long_as_a_review_may_be_is_compared_in_bounded_work(old, monkeypatch):
    monkeypatch.setattr(rendering, "SequenceMatcher", CountingMatcher)
    monkeypatch.setattr(CountingMatcher, "pairs_looked_at", 0)
    new = " ".join(word if n % 7 else "new" for n, word in enumerate(old.split()))

    changes = text_changes(old, new)

    assert "<ins>" in changes and "new" in changes
    # Comparing every word with every other would be 2.9 and 25 million pairs; a few hundred
    # thousand take a few milliseconds.
    assert CountingMatcher.pairs_looked_at < 500_000


def test_excerpts_show_the_words_without_markdown_or_markup():
    excerpt = plain_text("I *love* this & that.\n\n- one\n- <script>x</script>")

    assert excerpt == "I love this & that. one <script>x</script>"


@pytest.mark.parametrize(
    ("text", "max_chars", "excerpt"),
    [
        ("How people *organise themselves*.", 40, "How people organise themselves."),
        ("How people organise themselves, slowly.", 31, "How people organise themselves…"),
        ("How people organise themselves, slowly.", 30, "How people organise…"),
        ("How people organise, slowly.", 21, "How people organise…"),
        ("Supercalifragilistic words", 10, "Supercali…"),
    ],
    ids=["short-enough", "cut-after-a-word", "never-inside-one", "no-comma-left", "one-long-word"],
)
def test_an_excerpt_is_cut_between_words_and_ends_with_an_ellipsis(text, max_chars, excerpt):
    assert plain_excerpt(text, max_chars) == excerpt
    assert len(plain_excerpt(text, max_chars)) <= max_chars
