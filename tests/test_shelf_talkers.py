"""The shelf-talker rules (firestorm/shelf_talkers/cards.py): reading a choice from the address,
and which reviews make cards. The pages: test_shelf_talker_pages.py."""

from werkzeug.datastructures import MultiDict

from firestorm.database import LARGEST_ID
from firestorm.shelf_talkers.cards import ShelfTalkerChoice


def choice_from(query: list[tuple[str, str]]) -> ShelfTalkerChoice:
    args = MultiDict(query)
    return ShelfTalkerChoice.from_args(args, args.getlist("review"), max_length=20)


def test_a_choice_keeps_the_reviews_in_the_order_ticked_once_each():
    choice = choice_from([("review", "7"), ("review", "3"), ("review", "7"), ("paper", "a4")])

    assert choice.review_ids == (7, 3)
    assert (choice.unreadable, choice.paper) == (0, "a4")


def test_ids_that_are_no_id_are_counted_to_be_refused_not_looked_up():
    typed = ["0", "-1", "x", "٣", str(LARGEST_ID + 1), "", "12"]

    choice = choice_from([("review", id_) for id_ in typed])

    assert choice.review_ids == (12,)
    assert choice.unreadable == 6


def test_odd_paper_page_and_search_fall_back_to_the_defaults():
    choice = choice_from(
        [("paper", "tabloid"), ("page", "-4"), ("q", "  a\nlong search text typed  ")]
    )

    assert choice.paper == "letter"
    assert choice.page == 1
    assert len(choice.text) <= 20 and "\n" not in choice.text
