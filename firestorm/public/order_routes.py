"""/order: "We can order it: tell us which book". Any book, the catalog's or not, asked for by
title; it lands on the holds desk as a special order, and the customer on its own page, as a
hold does (hold_routes.to_the_holds_page)."""

from flask import current_app, request
from flask.typing import ResponseReturnValue

from firestorm.catalog import books
from firestorm.extensions import limiter
from firestorm.holds import placing, special_orders
from firestorm.public import bp
from firestorm.public.hold_forms import SpecialOrderForm
from firestorm.public.hold_routes import customer_form_page, to_the_holds_page
from firestorm.web import clock, transaction


@bp.get("/order")
def order_form() -> ResponseReturnValue:
    return order_page(SpecialOrderForm.asking_for(request.args.get("title", "")))


@bp.post("/order")
@limiter.limit(lambda: current_app.config["HOLD_LIMIT"])
def place_order() -> ResponseReturnValue:
    form = SpecialOrderForm()
    try:
        placed = special_orders.place_special_order(
            form.typed_order(),
            form.request_key.data or "",
            clock.current_time(),
            current_app.config["SECRET_KEY"],
        )
    except placing.HoldRefused as refused:
        transaction.discard_changes()
        form.show(refused)
        return order_page(form, 422)
    return to_the_holds_page(placed)


def order_page(form: SpecialOrderForm, status: int = 200) -> ResponseReturnValue:
    # Suggested in the format field (a datalist), as on the desk's book form; the customer may
    # write anything.
    formats = books.format_suggestions()
    return customer_form_page("public/order_form.html", status, form=form, formats=formats)
