"""`core` is the ground floor: no module in it imports another app of the project, so every app may
stand on it. Rules and pages that name other apps' models live on the top floor (`apps/access`)."""

import ast
from pathlib import Path

import apps.core

CORE = Path(apps.core.__file__).parent
EXCEPT: set[Path] = set()  # no exceptions: the demo data lives on the top floor (`apps/demo`)


def _imported_modules(tree: ast.AST) -> list[str]:
    """Every module an import statement names, also imports inside functions and `if TYPE_CHECKING:`."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]  # `from apps import visits`
    return names


def _imports_of_other_apps(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        name
        for name in _imported_modules(tree)
        if name.startswith("apps.") and name != "apps.core" and not name.startswith("apps.core.")
    ]


def test_no_module_in_core_imports_another_app():
    offenders = {
        str(path.relative_to(CORE)): found
        for path in sorted(CORE.rglob("*.py"))
        if path not in EXCEPT and (found := _imports_of_other_apps(path))
    }
    assert offenders == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from apps.visits.models import Visit\n    return Visit\n")
    assert _imports_of_other_apps(sneaky) == ["apps.visits.models", "apps.visits.models.Visit"]


def test_the_check_lets_core_import_core(tmp_path):
    plain = tmp_path / "plain.py"
    plain.write_text("from apps.core.roles import Role\nimport apps.core.policy\n")
    assert _imports_of_other_apps(plain) == []
