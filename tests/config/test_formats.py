"""One date format in every language the site speaks: typed 2022-04-29, shown 29 April 2022.

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


@pytest.mark.parametrize("language", [*site_languages(), "en-us", None])
def test_dates_are_typed_iso_and_shown_written_out(language):
    with translation.override(language, deactivate=True):
        assert formats.get_format("DATE_INPUT_FORMATS") == ["%Y-%m-%d"]
        assert formats.date_format(datetime.date(2022, 4, 29)) == "29 April 2022"
        field = forms.DateField()
        assert field.clean("2022-04-29") == datetime.date(2022, 4, 29)
        for typed in ["29/04/2022", "04/29/2022", "2022-13-45", "yesterday"]:
            with pytest.raises(forms.ValidationError):
                field.clean(typed)
