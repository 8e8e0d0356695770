"""records.table_rows: the participants table shows what the models say of each participant."""

import datetime

import pytest
from django.http import QueryDict
from django.template import engines

from signatories import records
from signatories.filters import ParticipantFilter
from signatories.models import Endorsement, Participant, Status

pytestmark = pytest.mark.django_db

# The table's rows as they were written against the models, before records.table_rows (with the
# cells' names and classes for narrow screens since).
MODEL_ROWS = """{% for row in rows %}
    <tr data-slug="{{ row.slug }}" data-status="{{ row.status_on }}">
      <th scope="row"><a href="{{ row.get_absolute_url }}{{ link }}">{{ row.name }}</a></th>
      <td class="cell-iso" data-label="ISO">{{ row.iso_alpha2|default:"—" }}</td>
      <td data-label="Region">{% if row.region %}{{ row.top_region.name }}{% if row.subregion %} · {{ row.subregion.name }}{% endif %}{% else %}—{% endif %}</td>
      <td data-label="Kind">{{ row.kind }}</td>
      <td class="cell-status"><span class="status status-{{ row.status_on }}">{{ row.status_label }}</span>
{% if row.withdrawn_on and row.status_on == "withdrawn" %} <span class="note">on {{ row.withdrawn_on|date:"j M Y" }}</span>{% endif %}</td>
      <td class="cell-date" data-label="Endorsed">{% if row.endorsed_on and row.status_on != "none" %}{% if row.date_precision == "on_or_before" %}on or before {% endif %}<time datetime="{{ row.endorsed_on|date:'Y-m-d' }}">{{ row.endorsed_on|date:"j M Y" }}</time>{% else %}—{% endif %}</td>
      <td data-label="Forums">{{ row.forums|join:", "|default:"—" }}</td>
    </tr>
    {% endfor %}"""  # noqa: E501


def table_body(html):
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.fixture
def every_kind_of_row(dfi):
    """A withdrawal, an "on or before" date, a disputed one and a name that needs escaping."""
    for slug, fields in {
        "norway": {"status": "withdrawn", "withdrawn_on": datetime.date(2023, 9, 5)},
        "kenya": {"date_precision": "on_or_before"},
        "japan": {"status": "disputed", "disputed_on": datetime.date(2022, 5, 2)},
    }.items():
        Endorsement.objects.filter(participant__slug=slug, declaration=dfi).update(**fields)
    Participant.objects.filter(slug="france").update(name="France <&> “Co”")


@pytest.mark.parametrize(
    "query",
    [
        "status=endorsed&status=disputed&status=withdrawn&status=none",
        "region=150&forum=g7&sort=-endorsed_on",
        "as_of=2022-05-01&status=none&sort=region",
    ],
)
def test_the_table_shows_what_the_models_showed(client, every_kind_of_row, query):
    filterset = ParticipantFilter(QueryDict(query))
    participants = records.attach_related(filterset.qs, on=filterset.on_date)
    for participant in participants:
        participant.status_label = Status(participant.status_on).label
    expected = (
        engines["django"]
        .from_string(MODEL_ROWS)
        .render({"rows": participants, "link": filterset.as_of_query})
    )
    page = client.get(f"/participants/?{query}").content.decode()
    assert table_body(page) == f"\n    {expected}\n  "


def test_short_dates_are_written_as_the_date_filter_writes_them():
    for month in range(1, 13):
        day = datetime.date(2022, month, 7)
        expected = engines["django"].from_string('{{ d|date:"j M Y" }}').render({"d": day})
        assert records.short_date(day) == expected
