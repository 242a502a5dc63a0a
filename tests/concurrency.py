"""Running moves at the same instant, each in its own thread and database connection (race tests)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.utils import translation


def race(*moves: Callable[[], Any], language: str | None = None, join_timeout: float = 30) -> list[Any]:
    """Run each move in its own thread and connection, all released at once; return results or errors.

    ``language``: activated in each thread (a thread starts with none of the caller's), for moves
    whose refusals are compared by their message.
    """
    barrier = threading.Barrier(len(moves))
    results: list[Any] = [None] * len(moves)

    def run(index: int, move: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            with translation.override(language) if language else contextlib.nullcontext():
                results[index] = move()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, move)) for index, move in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return results
