"""Encoding the timeline's raw PCM into an audio file, in one pass.

The spool file is read block by block; the loudness gain and the peak limiter are
applied in process (:func:`finished_blocks`), and the samples go to LAME in process
for MP3 or through a pipe to ffmpeg for the other formats. ffmpeg writes no
metadata of its own: the tags are written afterwards by :mod:`narrate.audio.tags`.
"""

from __future__ import annotations

import contextlib
import functools
import queue
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narrate.audio import mp3
from narrate.audio.bitrate import fit_bitrate
from narrate.audio.cores import cores_allowed, second_core_allowed
from narrate.audio.ffmpeg import find_ffmpeg
from narrate.audio.limiter import PeakLimiter, limiter_reach
from narrate.audio.loudness import Loudness, LoudnessMeter
from narrate.audio.timeline import spool_blocks
from narrate.audio.units import (
    PIECES_PER_SECOND,
    CutRule,
    LoudnessSum,
    PartStore,
    Unit,
    UnitLoudness,
    keep_loudness,
    kept_key,
    measure_loudness,
    stored_loudness,
)
from narrate.errors import EncoderError, UsageError
from narrate.outputs import FORMATS

__all__ = [
    "FORMATS",
    "cut_rule",
    "encode",
    "finished_blocks",
    "format_for",
    "measure_finished",
]


@dataclass(frozen=True)
class _Format:
    """How ffmpeg writes one output format."""

    muxer: str
    codec_args: tuple[str, ...]
    lossy: bool = True
    """Whether the bitrate applies."""


# The Xing/LAME header carries the frame count and the encoder delay and padding,
# so players show the exact duration and play gaplessly. ffmpeg names the encoder
# in it from the stream's "encoder" tag; readers such as mutagen trust the delay
# and padding fields only when that name starts with "LAME" (it is libmp3lame).
_MP3 = ("-c:a", "libmp3lame", "-write_xing", "1", "-id3v2_version", "0", "-write_id3v1", "0")
_LAME_TAG = ("-metadata:s:a:0", "encoder=LAME3.100")
# Without this, Ogg and MP4 files get an "encoder=Lavc ..." tag of the stream.
_NO_ENCODER_TAG = ("-metadata:s:a:0", "encoder=")

_CODECS: dict[str, _Format] = {
    "mp3": _Format("mp3", (*_MP3, *_LAME_TAG)),
    "wav": _Format("wav", ("-c:a", "pcm_s16le"), lossy=False),
    "ogg": _Format("ogg", ("-c:a", "libvorbis", *_NO_ENCODER_TAG)),
    "opus": _Format("opus", ("-c:a", "libopus", "-ar", "48000", *_NO_ENCODER_TAG)),
    "m4a": _Format("ipod", ("-c:a", "aac", "-movflags", "+faststart", *_NO_ENCODER_TAG)),
}

_STDERR_LINES = 4
_ADDRESS = re.compile(r" @ 0x[0-9a-f]+")


def format_for(path: Path) -> str:
    """The format for ``path``'s extension; :class:`UsageError` for an unknown one."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"cannot write audio as {path.suffix or 'a file without extension'} ({path.name})",
            f"use one of {', '.join(FORMATS)}",
        )
    return fmt


def encode(
    pcm: Path,
    sample_rate: int,
    destination: Path,
    fmt: str,
    bitrate: str = "64k",
    gain_db: float = 0.0,
    limit_db: float | None = None,
    *,
    name: str | None = None,
    units: Sequence[Unit] = (),
    store: PartStore | None = None,
) -> None:
    """Encode raw mono s16le ``pcm`` at ``sample_rate`` into ``destination``.

    ``fmt`` is a value of :data:`FORMATS` and decides the container, whatever
    ``destination``'s extension (so a temporary name works); errors call the output
    ``name`` (the file the user asked for), else ``destination``'s file name.
    ``bitrate`` (like ``"64k"``) applies to the lossy formats; one the format cannot
    take at ``sample_rate`` is replaced by the nearest one it can
    (:func:`narrate.audio.bitrate.fit_bitrate`). ``gain_db`` and, when given, a
    look-ahead peak limiter at ``limit_db`` (dBFS) are applied in process
    (:func:`finished_blocks`); the limiter never delays the audio, so timings stay
    exact. MP3 is encoded in process by LAME (:mod:`narrate.audio.mp3`), the other
    formats (and MP3 where that is not possible) by ffmpeg. Opus is always written
    at 48 kHz, the rate Opus decoders play at. Raises :class:`EncoderError` with the
    encoder's message when it fails; the partial ``destination`` is removed then.

    With the timeline's ``units`` (cut by :func:`cut_rule`), an MP3 is encoded unit by
    unit on several cores, and with a ``store`` the units' frames are kept: the next
    run encodes only the units whose sound or gain changed.
    """
    _spec(fmt)  # an unknown format fails before any work
    bitrate = fit_bitrate(fmt, sample_rate, bitrate).bitrate
    shown = name if name is not None else destination.name
    if fmt == "mp3" and _lame_can(bitrate):
        finishing = _Finishing(pcm, sample_rate, gain_db, limit_db)
        _encode_mp3_in_process(finishing, destination, bitrate, shown, _Units(units, store))
        return
    target = _Target(destination, shown, fmt, bitrate)
    _encode_with_ffmpeg(pcm, sample_rate, target, gain_db, limit_db)


@dataclass(frozen=True)
class _Target:
    """Where ffmpeg writes, as what, and what errors call it."""

    path: Path
    name: str
    fmt: str
    bitrate: str


_AHEAD = 2
"""Finished blocks waiting for the encoder at most (bounded memory)."""
_DONE = object()


@contextlib.contextmanager
def _ahead(blocks: Iterable[bytes]) -> Iterator[Iterator[bytes]]:
    """Iterate ``blocks`` on a thread of its own, a few items ahead of the consumer.

    numpy and LAME both release the GIL for their work, so the two overlap. An
    exception of the producer is raised in the consumer; leaving early stops it.
    With one core to use (a batch worker, :mod:`narrate.audio.cores`) the blocks
    are made on the consumer's thread, as it asks for them.
    """
    if not second_core_allowed():
        yield iter(blocks)
        return
    items: queue.Queue[object] = queue.Queue(_AHEAD)
    stop = threading.Event()

    def produce() -> None:
        try:
            for block in blocks:
                if stop.is_set():
                    return
                items.put(block)
            items.put(_DONE)
        except BaseException as error:  # handed to the consumer, which raises it
            items.put(error)

    def consume() -> Iterator[bytes]:
        while (item := items.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytes)
            yield item

    worker = threading.Thread(target=produce, name="narrate-finish", daemon=True)
    worker.start()
    try:
        yield consume()
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                items.get(timeout=0.05)
        worker.join()


def finished_blocks(
    pcm: Path,
    sample_rate: int,
    gain_db: float = 0.0,
    limit_db: float | None = None,
    samples: range | None = None,
) -> Iterator[bytes]:
    """The spool's samples with the gain and the limiter applied, as s16le blocks.

    Read and processed block by block, so memory stays flat for any length. With
    ``samples``, only that range of the spool (as if it were all of it).
    """
    factor = np.float32(10 ** (gain_db / 20) / _FULL_SCALE)
    ceiling = 10 ** (limit_db / 20) if limit_db is not None else None
    limiter = PeakLimiter(sample_rate, ceiling) if ceiling is not None else None
    plain = limiter is None and round(gain_db, 2) == 0
    for data in spool_blocks(pcm, samples):
        if plain:
            yield data
            continue
        scaled = np.frombuffer(data, dtype="<i2").astype(np.float32) * factor
        yield _to_pcm(limiter.process(scaled) if limiter is not None else scaled)
    if limiter is not None:
        yield _to_pcm(limiter.flush())


_FULL_SCALE = 32768.0


def _to_pcm(samples: npt.NDArray[np.float32]) -> bytes:
    rounded = np.rint(samples * np.float32(_FULL_SCALE))
    return bytes(np.clip(rounded, -32768, 32767).astype("<i2").tobytes())


def measure_finished(
    pcm: Path,
    sample_rate: int,
    gain_db: float,
    limit_db: float | None,
    units: Sequence[Unit] = (),
    store: PartStore | None = None,
) -> Loudness:
    """Integrated loudness of ``pcm`` as :func:`encode` will write it (gain and limiter).

    Only the loudness is measured: the result's peaks are NaN. With the timeline's
    ``units`` each unit is measured on its own, on several cores, and with a ``store``
    its loudness is kept, so the next run measures only what changed (see
    :mod:`narrate.audio.units`).
    """
    finishing = _Finishing(pcm, sample_rate, gain_db, limit_db)
    if not units:
        return _measure_whole(finishing)
    total = LoudnessSum(sample_rate)
    missing = []
    for unit in units:
        key = finishing.key(store, unit, "finished-loudness", per_second=PIECES_PER_SECOND)
        kept = stored_loudness(store, key, total.pieces(unit))
        if kept is None:
            missing.append((unit, key))
        else:
            total.add(unit, kept)
    for (unit, _), measured in zip(missing, _measure_units(finishing, missing, store), strict=True):
        total.add(unit, measured)
    return total.result()


def _measure_whole(finishing: _Finishing) -> Loudness:
    """The loudness of the whole spool as finished, in one pass."""
    meter = LoudnessMeter(finishing.sample_rate, peaks=False)
    with _ahead(finishing.blocks()) as blocks:
        for block in blocks:  # the limiter runs while the meter measures
            meter.feed(np.frombuffer(block, dtype="<i2"))
    return meter.result()


def _measure_units(
    finishing: _Finishing, units: Sequence[tuple[Unit, str | None]], store: PartStore | None
) -> list[UnitLoudness]:
    """The loudness of each of ``units`` as finished (kept in ``store`` under its key),
    measured on several cores when there are several."""

    def measure_unit(unit_and_key: tuple[Unit, str | None]) -> UnitLoudness:
        unit, key = unit_and_key
        blocks = finishing.blocks(unit.samples)
        measured = measure_loudness(blocks, finishing.sample_rate, peaks=False)
        keep_loudness(store, key, measured)
        return measured

    workers = min(cores_allowed(), _MAX_WORKERS, len(units))
    if workers < 2:
        return [measure_unit(unit_and_key) for unit_and_key in units]
    with ThreadPoolExecutor(workers, thread_name_prefix="narrate-measure") as pool:
        return list(pool.map(measure_unit, units))


def _lame_can(bitrate: str) -> bool:
    """Whether the in-process encoder takes this MP3 (the wheel is there, the rate is ok)."""
    kbps = bitrate.removesuffix("k")
    return kbps.isdigit() and int(kbps) >= mp3.MIN_KBPS and mp3.available()


@dataclass(frozen=True)
class _Finishing:
    """The spool and what :func:`finished_blocks` applies to it."""

    pcm: Path
    sample_rate: int
    gain_db: float
    limit_db: float | None

    def blocks(self, samples: range | None = None) -> Iterator[bytes]:
        return finished_blocks(self.pcm, self.sample_rate, self.gain_db, self.limit_db, samples)

    def key(self, store: PartStore | None, unit: Unit, kind: str, **more: object) -> str | None:
        """Where ``store`` keeps ``kind`` made of ``unit`` finished this way."""
        gain = {"gain": self.gain_db, "limit": self.limit_db}
        return kept_key(store, unit, self.sample_rate, kind, **gain, **more)


@dataclass(frozen=True)
class _Units:
    """The timeline's units and where what is made of them is kept (if anywhere)."""

    units: Sequence[Unit]
    store: PartStore | None


def _encode_mp3_in_process(
    finishing: _Finishing, destination: Path, bitrate: str, name: str, units: _Units
) -> None:
    """The same LAME as ffmpeg's, without ffmpeg's threads around it (see :mod:`.mp3`).

    A narration cut into units is encoded unit by unit on several cores (kept units
    are not encoded again); the gain and limiter give the same samples, since every
    cut has silence longer than the limiter's reach before it.
    """
    kbps = int(bitrate.removesuffix("k"))
    rate = finishing.sample_rate
    try:
        parts = _mp3_parts(finishing, units, kbps)
        workers = min(cores_allowed(), _MAX_WORKERS)
        store = units.store
        if parts and mp3.encode_mp3_parts(
            parts, rate, destination, kbps, workers=workers, store=store
        ):
            return
        with _ahead(finishing.blocks()) as prepared:  # the limiter runs while LAME encodes
            mp3.encode_mp3(prepared, rate, destination, kbps)
    except (RuntimeError, ValueError, EncoderError) as error:
        destination.unlink(missing_ok=True)
        if isinstance(error, EncoderError):
            message = f"LAME failed to encode {name}: {error.message}"
            raise EncoderError(message, error.hint) from error
        raise EncoderError(f"LAME failed to encode {name}: {error}") from error


_MAX_WORKERS = 4
"""The most units encoded or measured at once."""


def cut_rule(fmt: str, sample_rate: int, bitrate: str) -> CutRule:
    """Where the timeline for ``fmt`` may be cut into units (see :class:`CutRule`).

    Every cut follows more silence than the limiter's reach, so each unit can be
    finished on its own; for an MP3 that LAME writes, also the
    :data:`~narrate.audio.mp3.JUNCTION_SAMPLES`, on a frame boundary, and a frame of
    silence after it.
    """
    reach = limiter_reach(sample_rate)
    shortest = sample_rate * _SHORTEST_UNIT_MS // 1000
    if fmt == "mp3" and _lame_can(fit_bitrate(fmt, sample_rate, bitrate).bitrate):
        frame = mp3.frame_samples(sample_rate)
        return CutRule(reach + mp3.JUNCTION_SAMPLES, frame, lead=frame, shortest=shortest)
    return CutRule(reach, shortest=shortest)


_SHORTEST_UNIT_MS = 1000
"""Shorter utterances (headings, one-word sentences) join the next unit: each unit costs
an encoder and a few cache entries of its own."""


def _mp3_parts(finishing: _Finishing, units: _Units, kbps: int) -> list[mp3.Part]:
    """One part per unit (a unit's frames are kept under its address); ``[]`` for one
    piece, when the narration was not cut."""
    if len(units.units) < 2:
        return []
    encoder = {"kbps": kbps, "quality": mp3.LAME_QUALITY, "lame": mp3.lame_version()}
    parts = []
    for number, unit in enumerate(units.units):
        last = number == len(units.units) - 1
        kept = unit.samples if last else range(unit.start, unit.end - mp3.JUNCTION_SAMPLES)
        key = finishing.key(units.store, unit, "mp3-frames", last=last, **encoder)
        blocks = functools.partial(finishing.blocks, kept)
        parts.append(mp3.Part(blocks, len(kept), None if last else len(unit.samples), key))
    return parts


def _encode_with_ffmpeg(
    pcm: Path, sample_rate: int, target: _Target, gain_db: float, limit_db: float | None
) -> None:
    """ffmpeg reads the spool itself, or the finished samples from a pipe."""
    plain = limit_db is None and round(gain_db, 2) == 0
    source = str(pcm) if plain else "-"
    command = [find_ffmpeg(), *_input_args(source, sample_rate)]
    command += [*_output_args(target.fmt, target.bitrate), str(target.path)]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL if plain else subprocess.PIPE, stderr=errors
            )
        except OSError as error:
            raise EncoderError(
                f"could not run ffmpeg: {error}", "check the ffmpeg install"
            ) from error
        if not plain:
            _feed(process, finished_blocks(pcm, sample_rate, gain_db, limit_db))
        returncode = process.wait()
        errors.seek(0)
        stderr = errors.read()
    if returncode != 0:
        target.path.unlink(missing_ok=True)
        said = _last_lines(stderr).replace(str(target.path), target.name)
        raise EncoderError(
            f"ffmpeg failed to encode {target.name} as {target.fmt}"
            f" (exit status {returncode}): {said}"
        )


def _feed(process: subprocess.Popen[bytes], blocks: Iterable[bytes]) -> None:
    """Write ``blocks`` to ffmpeg's input; a closed pipe means ffmpeg failed (it says why)."""
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError), process.stdin:
        for block in blocks:
            process.stdin.write(block)


def _input_args(pcm: Path | str, sample_rate: int) -> list[str]:
    quiet = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    return [*quiet, "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", str(pcm)]


def _output_args(fmt: str, bitrate: str) -> list[str]:
    """The codec, metadata and muxer options for ``fmt``."""
    spec = _spec(fmt)
    args = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]
    args += list(spec.codec_args)
    if spec.lossy:
        args += ["-b:a", bitrate]
    return [*args, "-f", spec.muxer]


def _spec(fmt: str) -> _Format:
    """How ffmpeg writes ``fmt``; :class:`UsageError` for an unknown format."""
    spec = _CODECS.get(fmt)
    if spec is None:
        raise UsageError(f"unknown audio format {fmt!r}", f"use one of {', '.join(_CODECS)}")
    return spec


def _last_lines(stderr: bytes) -> str:
    """ffmpeg's last few error lines, without the object addresses."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    kept = [_ADDRESS.sub("", line) for line in lines if line][-_STDERR_LINES:]
    return " / ".join(kept) or "no message"
