"""fixtures/seed.json is what `manage.py build_fixtures` makes of fixtures/source/."""

import json
import shutil

import pytest
from django.core.management.base import CommandError

from signatories.management.commands import build_fixtures


def test_the_seed_is_built_from_the_data_files_as_they_are():
    objects, _ = build_fixtures.build()
    seed = json.loads(build_fixtures.OUTPUT.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(objects)) == seed, "run `make fixtures` and commit seed.json"


def test_every_heading_must_say_how_sure_it_is(tmp_path, monkeypatch):
    source = tmp_path / "source"
    shutil.copytree(build_fixtures.SOURCE_DIR, source)
    toml = source / "declaration.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('title_basis = "inferred"', 'title_basis = "guessed"', 1))
    monkeypatch.setattr(build_fixtures, "SOURCE_DIR", source)
    message = "A Global Internet: title_basis must be one of quoted, paraphrased, inferred, "
    with pytest.raises(CommandError, match=f"^{message}not 'guessed'$"):
        build_fixtures.build()
