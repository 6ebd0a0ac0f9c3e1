"""Rendering a script's chunks: through the chunk cache, several at a time, in order.

Engines that allow it (``max_concurrency`` above 1, e.g. gTTS, whose time is
spent waiting for the network) get up to that many requests at once, bounded
by the run's ``concurrency`` setting. Results come back in script order, and
only a window of utterances ahead of the one being assembled is in flight,
so memory stays flat however long the article.

Stopping early: when a chunk fails for good, the caller is interrupted (Ctrl-C)
or stops iterating, the run stops without waiting for its requests: pending
ones are dropped, and the run's :class:`~narrate.engines.cancel.Cancellation`
tells those in flight to stop retrying. Whatever was rendered stays in the cache
(a chunk that arrives after the stop is cached too), so the next run continues.
A request blocked on the network still holds its worker thread until it returns
or times out; :func:`stranded_workers` lists such threads so that a program about
to exit can leave without them.
"""

from __future__ import annotations

import collections
import contextvars
import functools
import threading
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from narrate.engines.base import BYTES_PER_SAMPLE, Clip, Engine, described, excerpt
from narrate.engines.cache import ChunkCache
from narrate.engines.cancel import Cancellation
from narrate.errors import EngineError, NarrateError
from narrate.speech.script import Utterance

__all__ = ["Renderer", "engine_concurrency", "stranded_workers"]

_WINDOW_PER_WORKER = 2
"""Utterances in flight per worker ahead of the one being assembled."""

_THREAD_PREFIX = "narrate-render"
"""The name of every worker thread a renderer starts begins with this."""

_Pending = collections.deque[list[Future[tuple[Clip, bool]]]]
"""The futures of each utterance in flight, oldest first."""


def engine_concurrency(engine: Engine, wanted: int) -> int:
    """How many requests to send ``engine`` at once: its own limit, at most ``wanted``."""
    allowed = getattr(engine, "max_concurrency", 1)
    return max(1, min(int(allowed), wanted))


def stranded_workers() -> list[threading.Thread]:
    """Renderer worker threads still alive.

    Once every rendering run has ended they are the ones an early stop left
    finishing a request nobody waits for (at most one request timeout each).
    Python waits for them at exit; the command line leaves without them.
    """
    return [
        thread
        for thread in threading.enumerate()
        if thread.name.startswith(_THREAD_PREFIX) and thread.is_alive()
    ]


class Renderer:
    """Speaks chunks through the engine, or takes them from the chunk cache."""

    def __init__(
        self,
        engine: Engine,
        voice: str,
        lang: str,
        speed: float,
        *,
        cache: ChunkCache | None = None,
        workers: int = 1,
    ) -> None:
        self.engine, self.voice, self.lang, self.speed = engine, voice, lang, speed
        self.cache = cache
        self.workers = max(1, workers)
        self.cached_sentences = 0
        """Utterances whose every chunk came from the cache."""

    def render(self, utterances: Sequence[Utterance]) -> Generator[list[Clip], None, None]:
        """The clips of each utterance, in order.

        Close the generator (or let an exception pass through it) to stop early:
        see the module's notes on stopping.
        """
        if self.workers == 1:
            for utterance in utterances:
                yield self._collect([self._chunk(chunk) for chunk in utterance.chunks])
            return
        yield from self._render_concurrently(utterances)

    def finish(self) -> None:
        """Keep the cache under its size cap."""
        if self.cache is not None:
            self.cache.trim()

    def _render_concurrently(
        self, utterances: Sequence[Utterance]
    ) -> Generator[list[Clip], None, None]:
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix=_THREAD_PREFIX)
        run = Cancellation()
        try:
            yield from self._in_order(pool, run, utterances)
        except BaseException:  # a failed chunk, KeyboardInterrupt, or the caller closed us
            _abandon(pool, run)
            raise
        pool.shutdown(wait=True)  # every future is done: the workers are only idle

    def _in_order(
        self, pool: ThreadPoolExecutor, run: Cancellation, utterances: Sequence[Utterance]
    ) -> Iterator[list[Clip]]:
        """Submit a window of utterances ahead; yield each one's clips as it completes.

        The first window's worth of utterances the cache lacks are sent to the engine
        at once, wherever they are, and cached utterances are read on this thread: after
        an edit the new sentences are asked for while the cached ones before them are
        assembled, and the workers wait for the engine only.
        """
        window = self.workers * _WINDOW_PER_WORKER
        uncached = self._uncached(utterances)
        early = {
            index: [self._submit(pool, run, chunk) for chunk in utterances[index].chunks]
            for index in uncached[:window]
        }
        lacking = set(uncached)
        pending: _Pending = collections.deque()
        for index, utterance in enumerate(utterances):
            submitted = early.pop(index, None)
            if submitted is None:
                ask = self._submit if index in lacking else self._read_or_submit
                submitted = [ask(pool, run, chunk) for chunk in utterance.chunks]
            pending.append(submitted)
            if len(pending) > window:
                yield self._collect([future.result() for future in pending.popleft()])
        while pending:
            yield self._collect([future.result() for future in pending.popleft()])

    def _read_or_submit(
        self, pool: ThreadPoolExecutor, run: Cancellation, chunk: str
    ) -> Future[tuple[Clip, bool]]:
        """``chunk``'s clip read from the cache now, or (not there after all) submitted."""
        if self.cache is not None:
            key = self.cache.key(self.engine, self.voice, self.lang, self.speed, chunk)
            clip = self.cache.get(key)
            if clip is not None:
                read: Future[tuple[Clip, bool]] = Future()
                read.set_result((clip, True))
                return read
        return self._submit(pool, run, chunk)

    def _uncached(self, utterances: Sequence[Utterance]) -> list[int]:
        """The indexes of the utterances with a chunk the cache has no entry for."""
        cache = self.cache
        if cache is None:
            return []
        key = functools.partial(cache.key, self.engine, self.voice, self.lang, self.speed)
        return [
            index
            for index, utterance in enumerate(utterances)
            if not all(cache.has(key(chunk)) for chunk in utterance.chunks)
        ]

    def _submit(
        self, pool: ThreadPoolExecutor, run: Cancellation, chunk: str
    ) -> Future[tuple[Clip, bool]]:
        """Render ``chunk`` on the pool, in a copy of this context (a batch job's
        warnings are collected by context, see :mod:`narrate.batch.jobs`)."""
        return pool.submit(contextvars.copy_context().run, self._run_chunk, run, chunk)

    def _collect(self, rendered: list[tuple[Clip, bool]]) -> list[Clip]:
        if self.cache is not None and all(hit for _, hit in rendered):
            self.cached_sentences += 1
        return [clip for clip, _ in rendered]

    def _chunk(self, text: str) -> tuple[Clip, bool]:
        """One chunk's clip and whether it came from the cache."""
        if self.cache is None:
            return self._speak(text), False
        key = self.cache.key(self.engine, self.voice, self.lang, self.speed, text)
        cached = self.cache.get(key)
        if cached is not None:
            return cached, True
        clip = self._speak(text)
        self.cache.put(key, clip)
        return clip, False

    def _run_chunk(self, run: Cancellation, text: str) -> tuple[Clip, bool]:
        """:meth:`_chunk` on a worker thread, as part of ``run``."""
        with run.applied():
            return self._chunk(text)

    def _speak(self, text: str) -> Clip:
        """The engine's clip for ``text``; whatever a plugin raises or returns wrong is an
        :class:`EngineError` naming the engine and the text."""
        try:
            clip = self.engine.synthesize(text, self.voice, self.lang, self.speed)
        except NarrateError:
            raise
        except Exception as error:  # a plugin may raise anything
            raise EngineError(
                f'engine {self.engine.name!r} failed on "{excerpt(text)}": {described(error)}'
            ) from error
        return _checked(clip, self.engine.name, text)


def _checked(clip: object, engine: str, text: str) -> Clip:
    """``clip`` if it is what the contract asks for: a :class:`Clip` of whole 16-bit samples."""
    problem = _clip_problem(clip)
    if problem is not None or not isinstance(clip, Clip):
        raise EngineError(f'engine {engine!r} {problem} for "{excerpt(text)}"')
    return clip


def _clip_problem(clip: object) -> str | None:
    if not isinstance(clip, Clip) or not isinstance(clip.pcm, bytes | bytearray):
        return f"returned {type(clip).__name__}, not a Clip of PCM bytes"
    if not isinstance(clip.sample_rate, int) or clip.sample_rate <= 0:
        return f"returned a sample rate of {clip.sample_rate!r}"
    if len(clip.pcm) % BYTES_PER_SAMPLE:
        return "returned an odd number of bytes (not 16-bit samples)"
    return None


def _abandon(pool: ThreadPoolExecutor, run: Cancellation) -> None:
    """Stop a run without waiting: drop pending chunks, tell those in flight to stop.

    Not waiting is what makes Ctrl-C prompt: a request blocked on the network
    can take a whole timeout to return, and its result is no longer wanted.
    """
    run.cancel()
    pool.shutdown(wait=False, cancel_futures=True)
