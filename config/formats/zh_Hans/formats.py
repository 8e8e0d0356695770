"""How dates and numbers are shown in Simplified Chinese: CLDR's long date (2022年4月29日) and its
number symbols. Typed dates stay ISO (2022-04-29) in every language, as in English."""

from config.formats.typed import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
