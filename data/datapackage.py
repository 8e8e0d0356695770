"""The data dictionary of the participants CSV: a Frictionless Data Package descriptor.

Written from ``columns.COLUMNS``, the columns the CSV is written from, so the two cannot
drift apart (https://datapackage.org/standard/data-package/).
"""

from signatories.citation import LICENCE, LICENCE_ID, LICENCE_TITLE, LICENCE_URL

from .columns import COLUMNS

MISSING = ""  # how the CSV writes a value that is not there (csv.writer's None)
DESCRIPTION = (
    "Every participant that could endorse the {title}, with its status on the day of the "
    "record, as the tracker's participants list shows it. The resource is the list's CSV "
    "download with the default filters (those that endorsed, as of today); every download of "
    "the list, with any filters and as_of day, has the same columns. The CSV is UTF-8 with a "
    "byte-order mark and CRLF line ends.\n\n"
    "Missing values: an empty cell, and nothing else. “NA” in “ISO alpha-2” is Namibia's "
    "code, not a missing value; pandas reads “NA” as missing unless told otherwise: "
    'pandas.read_csv(url, keep_default_na=False, na_values=[""]).\n\n'
    "Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage "
    "return) begins with an apostrophe added by the tracker.\n\n"
    "Cite the data with the day of the record and the address of the download: each CSV "
    'download gives that address in its HTTP Link header (rel="cite-as"). Licence: {licence} '
    "({licence_url})."
)


def field(column):
    """A Table Schema field for one column of the CSV."""
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = column.enum
    described = {"name": column.heading, "type": column.type, "description": column.description}
    return described | ({"constraints": constraints} if constraints else {})


def descriptor(declaration, *, csv_url, list_url, methods_url):
    """The package: the CSV of the list at ``csv_url`` (absolute addresses throughout)."""
    return {
        "profile": "tabular-data-package",
        "name": f"{declaration.slug}-participants",
        "title": f"Endorsements of the {declaration.title}",
        "description": DESCRIPTION.format(
            title=declaration.title, licence=LICENCE, licence_url=LICENCE_URL
        ),
        "homepage": list_url,
        "licenses": [{"name": LICENCE_ID, "path": LICENCE_URL, "title": LICENCE_TITLE}],
        "sources": [
            {
                "title": "The record's sources: one or more for every endorsement, in its "
                "“Sources” column, and all of them listed on the tracker's methods page",
                "path": methods_url,
            },
            *(
                [{"title": "The declaration's official text", "path": declaration.text_url}]
                if declaration.text_url
                else []
            ),
            {
                "title": "UN Statistics Division, Standard country or area codes for "
                "statistical use (M49)",
                "path": "https://unstats.un.org/unsd/methodology/m49/",
            },
        ],
        "resources": [
            {
                "name": "participants",
                "path": csv_url,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [field(column) for column in COLUMNS],
                    "missingValues": [MISSING],
                    "primaryKey": [column.heading for column in COLUMNS if column.key == "url"],
                },
            }
        ],
    }
