"""Every audit event the services write has a readable name in the history tables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.utils import translation

from core.audit_labels import event_label, known_event_types

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("core", "accreditation", "assessors", "certification", "surveillance")
EVENT = re.compile(r"^[a-z_]+\.[a-z_]+$")
PERMISSION = re.compile(r"\.(view|add|change|delete)_[a-z_]+$")


def event_types_in_services() -> set[str]:
    """String constants shaped like ``thing.moved`` in the service modules, f-string parts excluded."""
    found: set[str] = set()
    for app in APPS:
        for path in (BASE_DIR / app).rglob("services*.py"):
            found |= _constants(path)
        for path in (BASE_DIR / app).glob("services/*.py"):
            found |= _constants(path)
    labels = {config.label for config in apps.get_app_configs()}
    return {
        value
        for value in found
        if not PERMISSION.search(value) and value.split(".")[0] not in labels - {"accreditation"}
    }


def _constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and EVENT.match(node.value)
        and id(node) not in in_fstrings
    }


def test_every_event_type_a_service_writes_has_a_label() -> None:
    written = event_types_in_services()
    assert {"report.submitted", "decision.recorded", "qualification.approved"} <= written
    assert sorted(written - known_event_types()) == []


def test_a_label_follows_the_reader_language() -> None:
    with translation.override("en"):
        assert event_label("scope.published") == "Scope issue published"
    with translation.override("zh-hans"):
        assert event_label("scope.published") != "Scope issue published"
    assert event_label("no.such_event") == "no.such_event"
