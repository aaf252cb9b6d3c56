"""The layer rules that import-linter cannot see (run by `make lint` too).

Migrations are not a package, so a revision's imports are read here: a revision
runs against the schema of its day and must not break when the app's code moves.
Only ``migrations/env.py`` may import the app (the models' metadata, for
autogenerate and ``alembic check``). And the "Blueprints import no other
blueprint" contract names its modules by hand, so it is checked to name every
module that defines a Blueprint.
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from alembic.util import format_as_comma
from mako.template import Template

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
PACKAGE = ROOT / "kindness"


def imported_modules(source: str) -> set[str]:
    """Every module named by an import statement anywhere in ``source``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def app_imports(source: str) -> set[str]:
    return {name for name in imported_modules(source) if name.split(".")[0] == "kindness"}


def rendered_template() -> str:
    """script.py.mako as Alembic renders it for a new revision with no extra imports."""
    template = Template(filename=str(MIGRATIONS / "script.py.mako"))  # noqa: S702 (Python, not HTML)
    return template.render(
        message="a revision",
        up_revision="0000",
        down_revision=None,
        branch_labels=None,
        depends_on=None,
        create_date="2026-01-01 00:00:00",
        imports="",
        upgrades="pass",
        downgrades="pass",
        comma=format_as_comma,
    )


REVISIONS = sorted((MIGRATIONS / "versions").glob("*.py"))


def test_there_are_revisions_to_check():
    assert REVISIONS


@pytest.mark.parametrize("path", REVISIONS, ids=lambda path: path.name)
def test_revisions_import_nothing_from_kindness(path):
    assert app_imports(path.read_text(encoding="utf-8")) == set()


def test_the_revision_template_imports_nothing_from_kindness():
    source = rendered_template()
    assert "import" in source
    assert app_imports(source) == set()
    # Nor in a Mako block, which runs at render time and leaves no trace in the output.
    template = (MIGRATIONS / "script.py.mako").read_text(encoding="utf-8")
    assert re.search(r"\b(from|import)\s+kindness\b", template) is None


def test_the_check_sees_imports_anywhere_in_a_revision():
    source = (
        "import sqlalchemy as sa\n"
        "from kindness.db import UTCDateTime\n"
        "def upgrade():\n"
        "    import kindness.models\n"
    )
    assert app_imports(source) == {"kindness.db", "kindness.models"}


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def defines_blueprint(path: Path) -> bool:
    """Whether a module assigns a Blueprint(...) at its top level (as ``bp = ...`` does)."""
    return any(
        isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Call)
        and called_name(node.value) == "Blueprint"
        for node in ast.parse(path.read_text(encoding="utf-8")).body
    )


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_independence_contract_names_every_blueprint():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        contract
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "independence"
    ]
    blueprints = {module_name(path) for path in PACKAGE.rglob("*.py") if defines_blueprint(path)}
    assert "kindness.web.main" in blueprints
    assert set(contract["modules"]) == blueprints
