"""How dates are typed and shown in English (en-gb, en-us and every other variant).

Typed: ISO only, 2022-04-29, in the admin's forms, the bulk actions and the import files alike:
01/03/2024 could be January or March. Shown: 29 April 2022. Django reads these through
FORMAT_MODULE_PATH before its own en_GB formats, which would take day-first dates and show
"29 Apr 2022". Formats this module leaves out stay Django's.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
