"""Compiles the gettext catalogues (locale/<lang>/LC_MESSAGES/*.po) into the .mo files Django
reads, with Babel: pure Python, so the set-up (make run, make serve, make test and the test
suite's own start) needs no GNU gettext. Only `makemessages`, which extracts the strings, does.

The .mo files are built, never committed (.gitignore). Fuzzy and empty entries are left out,
as msgfmt leaves them out: such a string shows in English.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogues(folder):
    """Write each .po under ``folder`` to its .mo where the .po is newer; the .mo written."""
    written = []
    for po in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_suffix(".mo.partial")
        with partial.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        partial.replace(mo)  # a server starting meanwhile never reads half a file
        written.append(mo)
    return written
