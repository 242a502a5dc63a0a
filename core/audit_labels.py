"""Readable names of audit event types, contributed by each app.

``core`` records events but does not know what they mean to a reader. Each app registers the
labels of the event types its services write (``register_event_labels`` at import of its
``audit_labels`` module, loaded in ``AppConfig.ready``), and history tables ask ``event_label``.
A test checks that every event type written anywhere in the code has a label.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def register_event_labels(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def event_label(event_type: str) -> str:
    """The label in the active language, or the raw type for an event no app explains."""
    label = _LABELS.get(event_type)
    return str(label) if label is not None else event_type


def known_event_types() -> frozenset[str]:
    return frozenset(_LABELS)
