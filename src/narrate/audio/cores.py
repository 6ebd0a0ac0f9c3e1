"""Whether a narration may use a second core for its audio work.

A single narration measures the loudness on a second thread while the engine speaks,
and prepares the finished samples on another while LAME encodes: about 1.15 cores
for one article. A batch worker is one of ``--jobs`` processes that keep that many
cores busy already; there every step runs on the worker's own thread
(:func:`one_core`), so ``--jobs N`` takes N cores, not more, and two workers do not
crowd each other's cores with their helpers. The audio is the same either way.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

__all__ = ["one_core", "second_core_allowed"]

_ONE_CORE = contextvars.ContextVar("narrate_one_core", default=False)


@contextlib.contextmanager
def one_core() -> Iterator[None]:
    """Within this block (on this thread), narrations start no helper threads."""
    token = _ONE_CORE.set(True)
    try:
        yield
    finally:
        _ONE_CORE.reset(token)


def second_core_allowed() -> bool:
    """Whether audio work may run on a helper thread here (not inside :func:`one_core`)."""
    return not _ONE_CORE.get()
