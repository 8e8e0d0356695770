"""The declaration's texts say what the source paraphrase (dfi-declaration.md) says, and no more."""

import re
from pathlib import Path

import pytest

from declaration.models import Commitment, Pillar

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "dfi-declaration.md"
# Words a sentence of ours may need around the source's own: "do not", "the same", "on which".
JOINING = {"a", "an", "the", "and", "or", "do", "not", "to", "of", "on", "which", "about", "same"}


def source_principles():
    """The source's headings and its numbered commitments, as {number: text}."""
    text = SOURCE.read_text(encoding="utf-8")
    section = text.split("## The five headings")[1].split("\n## ")[0]
    headings = re.findall(r"^\d\. \*\*(.+?)\*\*", section, re.M)
    items = re.findall(r"^ +(\d+)\. (.+?)(?=^ +\d+\. |^\d\. |\Z)", section, re.M | re.S)
    return headings, {int(number): " ".join(item.split()) for number, item in items}


def words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def added_words(ours, theirs):
    """Words of ours the source has not, letting a word differ from the source's in its ending
    (“degrade”, “degrading”)."""
    stems = {word[:5] for word in words(theirs)}
    return sorted(w for w in words(ours) - words(theirs) - JOINING if w[:5] not in stems)


def test_the_source_is_read_whole():
    headings, commitments = source_principles()
    assert len(headings) == 5
    assert sorted(commitments) == list(range(1, 24))
    assert commitments[9] == 'Pursue "data free flows with trust".'


def test_the_check_catches_added_words():
    theirs = "Governments respect human rights online and offline (rule of law, oversight)."
    ours = "Respect human rights online, with any restriction necessary, proportionate."
    assert added_words(ours, theirs) == ["any", "necessary", "proportionate", "restriction", "with"]


def test_no_commitment_adds_words_to_the_source(dfi):
    _, source = source_principles()
    commitments = Commitment.objects.filter(pillar__declaration=dfi)
    assert commitments.count() == len(source)
    added = {c.number: added_words(c.text, source[c.number]) for c in commitments}
    assert {number: found for number, found in added.items() if found} == {}


def test_the_headings_are_the_sources(dfi):
    headings, _ = source_principles()
    assert list(Pillar.objects.filter(declaration=dfi).values_list("title", flat=True)) == headings
