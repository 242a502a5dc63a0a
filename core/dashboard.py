"""The signed-in user's "My work" page: what is waiting for them, gathered from every app.

``core`` sits at the bottom of the app order and knows nothing of applications or findings, so
each app contributes its own panels: it registers a provider with ``register_panels`` in its
``AppConfig.ready``, and the provider returns the panels that concern the user (none when the
user's role has nothing to do there). A panel is a titled count with the first few rows and a
link to the full queue; rows due past their deadline carry ``overdue=True`` for the badge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from core.models import User

#: How many rows a panel shows before "see all".
PANEL_ROWS = 5


@dataclass(frozen=True)
class PanelRow:
    label: str
    url: str
    note: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class Panel:
    """One queue of the user's work; ``order`` places it (lower first), ``count`` is its full size."""

    key: str
    title: str | Promise
    count: int
    url: str
    rows: list[PanelRow] = field(default_factory=list)
    overdue: int = 0
    order: int = 100


PanelProvider = Callable[["User"], Iterable[Panel]]
_providers: list[PanelProvider] = []


def register_panels(provider: PanelProvider) -> None:
    """Add an app's panel provider (idempotent, so a second ``ready`` call adds nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def panels_for(user: User) -> list[Panel]:
    """Every panel of every app for ``user``, the ones with work first, then by their order."""
    panels = [panel for provider in _providers for panel in provider(user)]
    return sorted(panels, key=lambda panel: (panel.count == 0, panel.order, str(panel.title)))
