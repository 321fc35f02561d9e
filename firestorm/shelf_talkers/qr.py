"""QR codes as inline SVG (segno): drawn with attributes only, no style or script, so the
page's Content-Security-Policy holds."""

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """The code for a URL as an <svg> to put in a page, sized by the stylesheet. Hidden from
    screen readers: the page prints the same address beside it in words."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(omitsize=True, svgclass="qr-code", lineclass=None)
    # segno writes only an <svg> with a viewBox and a <path> made from the URL's modules: no
    # text from the URL reaches the markup, so it is safe to mark as such.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # nosec B704
