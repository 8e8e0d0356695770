"""Dates are typed one way in every language the site speaks, 2022-04-29, and shown as each
language writes them (CLDR's long date): 29 April 2022, 29 avril 2022, 2022年4月29日...

Django takes a language's formats over the DATE_* settings, so these are checked with each
language active, as a request, the admin and the importer see them.
"""

import datetime

import pytest
from django import forms
from django.conf import global_settings, settings
from django.utils import formats, translation


def site_languages():
    """LANGUAGE_CODE, and every language of LANGUAGES once the project lists its own."""
    codes = {settings.LANGUAGE_CODE}
    if settings.LANGUAGES is not global_settings.LANGUAGES:
        codes |= {code for code, _ in settings.LANGUAGES}
    return sorted(codes)


SHOWN = {
    "en": "29 April 2022",
    "en-gb": "29 April 2022",
    "en-us": "29 April 2022",
    None: "29 April 2022",
    "fr": "29 avril 2022",
    "es": "29 de abril de 2022",
    "ru": "29 апреля 2022 г.",
    "zh-hans": "2022年4月29日",
    "ar": "29 إبريل 2022",  # the month as Django's Arabic catalogue spells it
}


@pytest.mark.parametrize("language", [*site_languages(), "en-gb", "en-us", None])
def test_dates_are_typed_iso_and_shown_written_out(language):
    with translation.override(language, deactivate=True):
        assert formats.get_format("DATE_INPUT_FORMATS") == ["%Y-%m-%d"]
        assert formats.date_format(datetime.date(2022, 4, 29)) == SHOWN[language]
        field = forms.DateField()
        assert field.clean("2022-04-29") == datetime.date(2022, 4, 29)
        for typed in ["29/04/2022", "04/29/2022", "2022-13-45", "yesterday"]:
            with pytest.raises(forms.ValidationError):
                field.clean(typed)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "12,345"),
        ("fr", "12\u202f345"),
        ("es", "12.345"),
        ("ru", "12\xa0345"),
        ("ar", "12,345"),
        ("zh-hans", "12,345"),
    ],
)
def test_numbers_are_grouped_as_each_language_groups_them(language, written):
    with translation.override(language):
        assert formats.number_format(12345, force_grouping=True) == written


def test_british_english_formats_stay_for_what_the_site_does_not_set():
    """The site's English was en-gb: its short dates and weeks (from Monday) are kept."""
    with translation.override("en"):
        assert formats.get_format("SHORT_DATE_FORMAT") == "d/m/Y"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
