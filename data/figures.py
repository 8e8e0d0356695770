"""The figures of a view as PNG images: the captioned SVG (signatories/figures.py), rasterised
on the server by CairoSVG at a width the address chooses, within limits."""

import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext

MIN_WIDTH, MAX_WIDTH = 400, 3000
DIGITS = re.compile("[0-9]+")
BAD_WIDTH = lazy(
    lambda: (
        gettext("Enter a width in pixels, a whole number from %(min)s to %(max)s.")
        % {"min": MIN_WIDTH, "max": MAX_WIDTH}
    ),
    str,
)()


class FigureSize(forms.Form):
    """``width``, in pixels (the height follows the figure); validated like the filters."""

    width = forms.IntegerField(
        required=False,
        min_value=MIN_WIDTH,
        max_value=MAX_WIDTH,
        error_messages={"invalid": BAD_WIDTH, "min_value": BAD_WIDTH, "max_value": BAD_WIDTH},
    )

    def clean_width(self):
        raw = self.data.get("width") or ""
        if raw and not DIGITS.fullmatch(raw):  # not "8e2", "800.0" or "٨٠٠": 0-9 only
            raise forms.ValidationError(BAD_WIDTH)
        return self.cleaned_data["width"]


def png(svg):
    """The SVG drawn as a PNG of the size it states (no file or network access: CairoSVG's
    default, never ``unsafe``). Imported here, not with the site: without Debian's Cairo only
    the images fail (``OSError``), never every page."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode())
