"""declaration/ is what the text says: it knows nothing of who endorsed it (signatories/)."""

import ast
from pathlib import Path

import pytest

DECLARATION = Path(__file__).resolve().parents[2] / "declaration"


@pytest.mark.parametrize("path", sorted(DECLARATION.rglob("*.py")), ids=str)
def test_declaration_neither_imports_signatories_nor_reverses_its_urls(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(alias.name.split(".")[0] == "signatories" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "signatories"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not node.value.startswith("signatories:"), node.value


def test_a_forum_still_knows_its_page(db):
    from declaration.models import Forum

    assert Forum.objects.get(slug="g7").get_absolute_url() == "/forums/g7/"
