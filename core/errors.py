"""The one error type a refused domain move raises.

Services raise ``DomainError`` with a stable ``code`` that API clients can rely on and a
translated ``message`` a person can read. The API maps it to 400 (bad input) or 409 (the
object's current state forbids the move); pages show the message. Nothing is changed when
it is raised inside a service, because every service runs in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A domain rule refused the requested change."""

    #: HTTP status the API answers with: 400 for invalid input, 409 for a state conflict.
    http_status = 400

    def __init__(self, code: str, message: str | Promise, *, detail: Any = None, http_status: int | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.detail = detail
        if http_status is not None:
            self.http_status = http_status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "detail": self.detail}


class StateConflict(DomainError):
    """The object's current state does not allow the move (an illegal transition, a locked version)."""

    http_status = 409


class NotPermitted(DomainError):
    """The actor may not make this change (outside their CAB, wrong role)."""

    http_status = 403
