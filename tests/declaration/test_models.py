"""How sure each piece of the declaration's text is travels with it, as data editors can change."""

import pytest

from declaration.models import BASIS_HELP, Basis, Commitment, Pillar

pytestmark = pytest.mark.django_db


def test_the_seed_marks_heading_1_quoted_and_the_rest_inferred(dfi):
    marks = dict(Pillar.objects.filter(declaration=dfi).values_list("number", "title_basis"))
    assert marks == {
        1: Basis.QUOTED,
        2: Basis.INFERRED,
        3: Basis.INFERRED,
        4: Basis.INFERRED,
        5: Basis.INFERRED,
    }
    assert Pillar.objects.get(declaration=dfi, number=1).title_note == "seen verbatim in one source"


def test_the_seed_marks_every_commitment_a_paraphrase_and_the_grouping_inferred(dfi):
    texts = Commitment.objects.filter(pillar__declaration=dfi)
    assert texts.count() == 23
    assert set(texts.values_list("text_basis", flat=True)) == {Basis.PARAPHRASED}
    assert dfi.grouping_basis == Basis.INFERRED
    assert "one source counts 23 commitments in all" in dfi.structure_note


def test_a_new_heading_claims_least_until_an_editor_says_more(dfi):
    pillar = Pillar.objects.create(declaration=dfi, number=6, title="Made up")
    commitment = Commitment.objects.create(pillar=pillar, number=24, text="Made up.")
    assert pillar.title_basis == Basis.INFERRED
    assert commitment.text_basis == Basis.PARAPHRASED


def test_the_admin_help_says_what_each_mark_means():
    assert BASIS_HELP == (
        "Quoted: seen word for word in a source; "
        "Paraphrased: our wording of what a source says (the official text has the exact words); "
        "Inferred: worked out by us from the sources, not seen in any of them"
    )
    assert str(BASIS_HELP) in str(Pillar._meta.get_field("title_basis").help_text)
