"""How dates are typed and shown in English (en, en-gb, en-us and every other variant).

Typed: ISO only, 2022-04-29, in the admin's forms, the bulk actions and the import files alike:
01/03/2024 could be January or March. Shown: 29 April 2022. Django reads these through
FORMAT_MODULE_PATH before its own; the rest are its British English formats (day first, weeks
from Monday), as when the site's language was en-gb.
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
