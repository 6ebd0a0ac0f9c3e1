"""How many cores a narration may use for its audio work.

A single narration measures the loudness on a second thread while the engine speaks,
prepares the finished samples on another while LAME encodes, and encodes a long MP3
in parts, one per core. A batch worker is one of ``--jobs`` processes that share the
cores ``--jobs`` allows: each gets its share (:func:`worker_cores`), one core when
there are at least as many articles as workers, so ``--jobs N`` keeps N cores busy
and no more, and workers do not crowd each other's cores with their helpers. Within
:func:`core_budget` every step that would use another core checks
:func:`cores_allowed`. The audio is the same either way.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator

__all__ = [
    "WORKER_CORES_ENV",
    "budget",
    "core_budget",
    "cores_allowed",
    "one_core",
    "second_core_allowed",
    "worker_cores",
]

WORKER_CORES_ENV = "NARRATE_WORKER_CORES"
"""Set in a local batch worker: the cores it may use (``--jobs`` over the workers)."""

_BUDGET: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "narrate_core_budget", default=None
)


@contextlib.contextmanager
def core_budget(cores: int) -> Iterator[None]:
    """Within this block (on this thread), narrations use at most ``cores`` cores."""
    token = _BUDGET.set(max(1, cores))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def one_core() -> contextlib.AbstractContextManager[None]:
    """Within this block (on this thread), narrations start no helper threads."""
    return core_budget(1)


def cores_allowed() -> int:
    """The cores a narration here may use: this process's, or fewer within a budget."""
    budget = _BUDGET.get()
    machine = _machine_cores()
    return machine if budget is None else min(budget, machine)


def budget() -> int | None:
    """The cores a narration here may use when that is fewer than this process's, else ``None``."""
    allowed = cores_allowed()
    return allowed if allowed < _machine_cores() else None


def second_core_allowed() -> bool:
    """Whether audio work may run on a helper thread here."""
    return cores_allowed() >= 2


def worker_cores() -> int:
    """The cores of a batch worker: from :data:`WORKER_CORES_ENV`, else one (a Dask task)."""
    value = os.environ.get(WORKER_CORES_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _machine_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
