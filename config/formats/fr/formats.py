"""How dates and numbers are shown in French: CLDR's long date (29 avril 2022) and its
number symbols. Typed dates stay ISO (2022-04-29) in every language, as in English."""

from config.formats.typed import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space
NUMBER_GROUPING = 3
