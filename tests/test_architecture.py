"""The apps depend on each other one way only (see README.md), and never on the tests.

    surveillance
        |
    assessors   certification     (siblings: neither imports the other)
        \\          /
      accreditation
            |
          core

An app may import only the apps below it. Where a lower app must let a higher one react, it
sends a signal from accreditation/hooks.py that the higher app connects to.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Each app and the apps it may import (besides itself).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "accreditation": frozenset({"core"}),
    "assessors": frozenset({"core", "accreditation"}),
    "certification": frozenset({"core", "accreditation"}),
    "surveillance": frozenset({"core", "accreditation", "assessors", "certification"}),
}
FORBIDDEN_EVERYWHERE = frozenset({"tests"})


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in ``source``, including ``import_module("...")``.

    Relative imports stay inside their own package, so they are left out.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id in {"import_module", "__import__"})
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return sorted(found)


def violations(app: str, source: str, where: str) -> list[str]:
    """Imports in ``source`` (a file of ``app``) of an app it may not depend on, or of the tests."""
    forbidden = (set(MAY_IMPORT) - MAY_IMPORT[app] - {app}) | FORBIDDEN_EVERYWHERE
    return [
        f"{where}:{line} imports {module}"
        for line, module in imported_modules(source)
        if module.split(".")[0] in forbidden
    ]


def python_files(app: str) -> list[Path]:
    return sorted(path for path in (BASE_DIR / app).rglob("*.py") if "__pycache__" not in path.parts)


@pytest.mark.parametrize("app", list(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it_and_never_the_tests(app: str) -> None:
    files = python_files(app)
    found = [
        problem
        for path in files
        for problem in violations(app, path.read_text(encoding="utf-8"), str(path.relative_to(BASE_DIR)))
    ]

    assert files, f"{app}/ has no Python files: is the app list in this test out of date?"
    assert found == []


def test_the_app_order_here_is_the_order_of_installed_apps() -> None:
    from django.conf import settings

    portal_apps = [name for name in settings.INSTALLED_APPS if name in MAY_IMPORT]

    assert portal_apps == list(MAY_IMPORT)


def test_the_check_sees_a_lower_app_importing_a_higher_one_in_every_form() -> None:
    source = (
        "import surveillance.models\n"
        "from certification.services import certificate_issue\n"
        "from . import selectors\n"
        "if TYPE_CHECKING:\n"
        "    from assessors.models import Assessor\n"
        "plan = importlib.import_module('surveillance.tasks')\n"
        "from core.models import User\n"
        "from tests.accreditation.factories import CabFactory\n"
    )

    assert violations("accreditation", source, "accreditation/example.py") == [
        "accreditation/example.py:1 imports surveillance.models",
        "accreditation/example.py:2 imports certification.services",
        "accreditation/example.py:5 imports assessors.models",
        "accreditation/example.py:6 imports surveillance.tasks",
        "accreditation/example.py:8 imports tests.accreditation.factories",
    ]


def test_the_check_keeps_assessors_and_certification_apart() -> None:
    assert violations("certification", "from assessors.models import Assessor\n", "certification/x.py") == [
        "certification/x.py:1 imports assessors.models"
    ]
    assert violations("assessors", "import certification\n", "assessors/x.py") == [
        "assessors/x.py:1 imports certification"
    ]
    assert violations("surveillance", "from assessors import models\nimport certification\n", "surveillance/x.py") == []
