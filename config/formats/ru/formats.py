"""How dates and numbers are shown in Russian: CLDR's long date (29 апреля 2022 г.) and its
number symbols. Typed dates stay ISO (2022-04-29) in every language, as in English."""

from config.formats.typed import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
