"""Shelf-talkers, /collective/shelf-talkers: choosing published reviews (a GET form: choosing
changes nothing) and the sheet of cards to print on Letter or A4."""

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from firestorm.collective import bp
from firestorm.shelf_talkers import cards

# Reviews listed to choose from, a page at a time.
REVIEWS_PER_PAGE = 20


def choice_asked() -> cards.ShelfTalkerChoice:
    return cards.ShelfTalkerChoice.from_args(
        request.args, request.args.getlist("review"), current_app.config["SEARCH_MAX_LENGTH"]
    )


@bp.get("/shelf-talkers", endpoint="shelf_talkers")
def shelf_talkers_page() -> ResponseReturnValue:
    return picker_page(choice_asked())


@bp.get("/shelf-talkers/sheet", endpoint="shelf_talker_sheet")
def shelf_talker_sheet() -> ResponseReturnValue:
    choice = choice_asked()
    try:
        talkers = cards.shelf_talkers(choice)
    except cards.ShelfTalkerError as error:
        return picker_page(choice, problem=str(error), status=422)
    return render_template(
        "collective/shelf_talker_sheet.html",
        choice=choice,
        talkers=talkers,
        cards_per_sheet=cards.CARDS_PER_SHEET,
    )


def picker_page(
    choice: cards.ShelfTalkerChoice, problem: str = "", status: int = 200
) -> ResponseReturnValue:
    picker = cards.picker(choice, REVIEWS_PER_PAGE)
    return render_template(
        "collective/shelf_talkers.html",
        choice=choice,
        picker=picker,
        paper_sizes=cards.PAPER_SIZES,
        problem=problem,
    ), status
