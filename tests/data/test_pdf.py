"""The PDF report of a view: the list's rows and citation in searchable text, fonts embedded,
tagged, on A4 or Letter; bad parameters named in a 400."""

import html
import logging
import re
import shutil
import subprocess
import tempfile

import pytest
from django.http import QueryDict
from django.urls import reverse

from data import report
from signatories.citation import cite_list
from signatories.filters import ParticipantFilter

pytestmark = pytest.mark.django_db

PDF = reverse("data:export-pdf")
LIST = reverse("signatories:participant-list")
POPPLER = "poppler-utils (pdftotext, pdfinfo, pdffonts): apt-get install poppler-utils"
CJK_FONT = "a font with Chinese characters: apt-get install fonts-wqy-microhei"


def poppler(tool, *args, pdf):
    """The output of a Poppler tool on the bytes of a PDF (it reads a file: it seeks)."""
    if not shutil.which(tool):
        pytest.skip(f"no {tool}: {POPPLER}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        command = [tool, *args, file.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, capture_output=True, check=True).stdout.decode()


def words(text):
    return " ".join(text.split())


def listed_names(client, query):
    """The names in the rows of the list page for the same parameters."""
    page = client.get(f"{LIST}?{query}").content.decode()
    names = re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a></th>', page)
    return [html.unescape(name) for name in names]


def test_the_pdf_of_europe_holds_every_participant_of_the_list_and_the_citation(client):
    response = client.get(PDF, {"region": "150"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # In the order of the content stream, a cell's lines stay together however they wrap.
    text = words(poppler("pdftotext", "-raw", pdf=response.content))
    names = listed_names(client, "region=150")
    assert len(names) > 30
    for name in names:
        assert name in text
    assert f"{len(names)} participants" in text
    citation = cite_list(ParticipantFilter(QueryDict("region=150")), f"http://testserver{PDF}")
    assert "".join(str(citation).split()) in "".join(text.split())  # wherever lines break
    assert "How the figures are counted" in text and "Sources" in text
    assert "in Europe (150)" in text


def test_its_fonts_are_embedded_and_it_is_tagged(client):
    pdf = client.get(PDF, {"region": "150"}).content
    fonts = poppler("pdffonts", pdf=pdf).splitlines()[2:]
    assert fonts and any("DejaVu-Sans" in line for line in fonts)
    for line in fonts:  # name type encoding emb sub uni object ID
        assert line.split()[-5] == "yes", line
    info = poppler("pdfinfo", pdf=pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.M)
    structure = poppler("pdfinfo", "-struct", pdf=pdf)
    for tag in ("H1", "H2", "Table", "TH", "TD"):
        assert re.search(rf"^\s*{tag}\b", structure, re.M), tag


def has_font_for(language):
    listed = shutil.which("fc-list")
    found = listed and subprocess.run([listed, f":lang={language}", "family"], capture_output=True)
    return bool(found and found.stdout.strip())


@pytest.mark.parametrize("language", ["zh-hans", "ar", "ru"])
def test_every_character_of_a_translated_pdf_is_drawn_with_a_glyph(client, caplog, language):
    """Not the empty box of a font that lacks it (WeasyPrint's .notdef), as a server with only
    DejaVu Sans would draw every Chinese character."""
    if language == "zh-hans" and not has_font_for("zh"):
        pytest.skip(f"no {CJK_FONT}")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = client.get(f"/{language}{PDF}", {"region": "150"}).content
    assert pdf.startswith(b"%PDF-")
    missing = [record.getMessage() for record in caplog.records if ".notdef" in record.getMessage()]
    assert missing == []


def test_letter_paper(client):
    pdf = client.get(PDF, {"paper": "letter", "region": "002"}).content
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)$", poppler("pdfinfo", pdf=pdf), re.M)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"paper": "a5"}, ["paper"]),
        ({"region": "999"}, ["region"]),
        ({"paper": "", "as_of": "yesterday", "status": "maybe"}, ["as_of", "status"]),
    ],
)
def test_bad_parameters_are_named_in_a_400(client, query, named):
    response = client.get(PDF, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for name in named:
        assert f"Bad parameter “{name}”" in text
    assert text.count("Bad parameter") == len(named)


def test_it_is_named_cited_and_linked_from_the_list(client):
    response = client.get(PDF, {"region": "150", "as_of": "2022-11-30"})
    assert 'filename="dfi-participants-europe-2022-11-30.pdf"' in response["Content-Disposition"]
    assert (
        f'<http://testserver{PDF}?region=150&as_of=2022-11-30>; rel="cite-as"' in (response["Link"])
    )
    page = client.get(LIST, {"region": "150"}).content.decode()
    assert f'href="{PDF}?region=150"' in page


def test_a_long_view_stops_the_table_and_says_so(client, monkeypatch):
    monkeypatch.setattr(report, "MAX_ROWS", 5)
    text = words(poppler("pdftotext", "-raw", pdf=client.get(PDF, {"region": "150"}).content))
    names = listed_names(client, "region=150")
    assert f"lists the first 5 of {len(names)} participants" in text
    assert names[4] in text and names[5] not in text
