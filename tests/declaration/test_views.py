"""The declaration page tells a visitor how sure each heading and commitment is, and where the
exact words are."""

import html
import re

import pytest
from django.urls import reverse

from declaration.models import Pillar

pytestmark = pytest.mark.django_db

PDF = "https://www.state.gov/wp-content/uploads/2022/04/Declaration-for-the-Future-for-the-Internet.pdf"


def visible(fragment):
    """Text as a visitor (or a screen reader) reads it: inline tags vanish, block tags separate
    words."""
    inline = re.sub(r"</?(?:a|span|time|strong|em)\b[^>]*>", "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


@pytest.fixture
def page(client):
    response = client.get(reverse("declaration:detail", args=["dfi"]))
    assert response.status_code == 200
    return response.content.decode()


def headings(page):
    """{number: the heading as a visitor reads it, its mark included}."""
    found = re.findall(r'<h3 id="pillar-(\d+)">(.*?)</h3>', page, re.S)
    return {int(number): visible(heading) for number, heading in found}


def test_heading_1_is_shown_quoted_and_headings_2_to_5_inferred(page):
    shown = headings(page)
    assert shown[1] == "1. Protection of Human Rights and Fundamental Freedoms (quoted heading)"
    for number in (2, 3, 4, 5):
        assert shown[number].endswith("(inferred heading)"), shown[number]
    assert "Heading seen verbatim in one source." in visible(page)


def test_every_commitment_is_shown_as_a_paraphrase(page):
    items = re.findall(r'<li value="(\d+)">(.*?)</li>', page, re.S)
    assert [int(number) for number, _ in items] == list(range(1, 24))
    for number, item in items:
        assert visible(item).endswith("(paraphrased)"), number


def test_the_legend_says_what_the_marks_mean_and_that_the_grouping_is_inferred(page):
    text = visible(page)
    assert "quoted Seen word for word in a source." in text
    assert (
        "paraphrased Our wording of what a source says (the official text has the exact words)."
        in text
    )
    assert "inferred Worked out by us from the sources, not seen in any of them." in text
    assert (
        "The grouping of the commitments under the headings is inferred: worked out by us from "
        "the sources, not seen in any of them." in text
    )
    assert "one source counts 23 commitments in all." in text
    # The legend comes before the first heading it explains.
    assert page.index('class="basis-legend"') < page.index('id="pillar-1"')


def test_the_official_text_is_linked_for_the_exact_words(page):
    assert f'<a href="{PDF}">Declaration for the Future of the Internet (PDF)</a>' in page
    assert "The exact words are in the official text:" in visible(page)
    assert f'<span class="url">{PDF}</span>' in page  # printed pages keep the address
    assert page.index(PDF) < page.index('id="principles-heading"')


def test_no_words_the_source_does_not_have(page):
    assert "necessary, proportionate" not in page
    assert "proportionate" not in page


def test_the_marks_are_data_an_editor_can_change(client, dfi):
    Pillar.objects.filter(declaration=dfi, number=2).update(title_basis="quoted")
    dfi.grouping_basis = "quoted"
    dfi.save()
    page = client.get(dfi.get_absolute_url()).content.decode()
    assert headings(page)[2] == "2. A Global Internet (quoted heading)"
    assert "The grouping of the commitments under the headings is quoted:" in visible(page)
