"""How dates are typed in every language but English (whose module adds them to British
English's): ISO only, 2022-04-29, as in the admin's forms, the bulk actions and the import
files."""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
]
