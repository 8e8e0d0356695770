"""The rows of the participants table, written in Python.

The loop over a hundred rows was the biggest part of the list page: each of a dozen values a
row looked up and escaped by the template engine. This writes the same HTML, byte for byte,
with one str.format a row, every value escaped as the template's autoescaping does (the rows
come from records.table_rows; tests/signatories/test_records.py compares the table with what
the models showed).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ROW = """
    <tr data-slug="{slug}" data-status="{status}">
      <th scope="row"><a href="{url}">{name}</a></th>
      <td>{iso}</td>
      <td>{region}</td>
      <td>{kind}</td>
      <td><span class="status status-{status}">{status_label}</span>
{withdrawn}</td>
      <td>{endorsed}</td>
      <td>{forums}</td>
    </tr>
    """
WITHDRAWN = ' <span class="note">on {withdrawn_on}</span>'
ENDORSED = '{on_or_before}<time datetime="{endorsed_iso}">{endorsed_on}</time>'


@register.simple_tag
def participant_rows(rows):
    """Each row's <tr>, as `{% for row in rows %}<tr>...</tr>{% endfor %}` wrote them."""
    return mark_safe("".join(_row(row) for row in rows))


def _row(row):
    # django.utils.html.escape is html.escape (quote=True) wrapped for lazy strings.
    text = {key: escape(value) for key, value in row.items() if isinstance(value, str)}
    withdrawn = WITHDRAWN.format(**text) if row["withdrawn_on"] else ""
    endorsed = "—"
    if row["endorsed_on"]:
        on_or_before = "on or before " if row["on_or_before"] else ""
        endorsed = ENDORSED.format(**text, on_or_before=on_or_before)
    return ROW.format(**text, withdrawn=withdrawn, endorsed=endorsed)
