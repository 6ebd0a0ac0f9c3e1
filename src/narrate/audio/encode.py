"""Encoding the timeline's raw PCM into an audio file with ffmpeg, in one pass.

ffmpeg reads the spool file directly (``-f s16le``), applies the loudness gain
with its ``volume`` filter and writes a file without any metadata of its own:
the tags are written afterwards by :mod:`narrate.audio.tags`.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from narrate.audio import mp3
from narrate.audio.ffmpeg import find_ffmpeg
from narrate.audio.loudness import Loudness, LoudnessMeter
from narrate.errors import EncoderError, UsageError

__all__ = ["FORMATS", "encode", "format_for", "measure_filtered"]


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

FORMATS: dict[str, str] = {
    ".mp3": "mp3",
    ".wav": "wav",
    ".ogg": "ogg",
    ".opus": "opus",
    ".m4a": "m4a",
}
"""File extension -> format name, for every format :func:`encode` writes."""

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
) -> None:
    """Encode raw mono s16le ``pcm`` at ``sample_rate`` into ``destination``.

    ``fmt`` is a value of :data:`FORMATS` and decides the container, whatever
    ``destination``'s extension (so a temporary name works). ``bitrate`` (like
    ``"64k"``) applies to the lossy formats; ``gain_db`` is applied by ffmpeg;
    ``limit_db`` (dBFS), when given, adds a look-ahead peak limiter after the gain
    whose delay ffmpeg compensates, so timings stay exact.
    Opus is always written at 48 kHz, the rate Opus decoders play at. An MP3 that
    needs no limiter is encoded in process by the same LAME (:mod:`narrate.audio.mp3`).
    Raises :class:`EncoderError` with ffmpeg's message when ffmpeg fails; the
    partial ``destination`` is removed then.
    """
    if fmt == "mp3" and _lame_can(bitrate):
        _encode_mp3_in_process(pcm, sample_rate, destination, bitrate, gain_db, limit_db)
        return
    command = [
        find_ffmpeg(),
        *_input_args(pcm, sample_rate),
        *_output_args(fmt, bitrate, gain_db, limit_db),
    ]
    try:
        result = subprocess.run(
            [*command, str(destination)], stdin=subprocess.DEVNULL, capture_output=True
        )
    except OSError as error:
        raise EncoderError(f"could not run ffmpeg: {error}", "check the ffmpeg install") from error
    if result.returncode != 0:
        destination.unlink(missing_ok=True)
        raise EncoderError(
            f"ffmpeg failed to encode {destination.name} as {fmt}"
            f" (exit status {result.returncode}): {_last_lines(result.stderr)}"
        )


def _lame_can(bitrate: str) -> bool:
    """Whether the in-process encoder takes this MP3 (the wheel is there, the rate is ok)."""
    kbps = bitrate.removesuffix("k")
    return kbps.isdigit() and int(kbps) >= mp3.MIN_KBPS and mp3.available()


def _encode_mp3_in_process(
    pcm: Path,
    sample_rate: int,
    destination: Path,
    bitrate: str,
    gain_db: float,
    limit_db: float | None,
) -> None:
    """The same LAME as ffmpeg's, without ffmpeg's threads around it (see :mod:`.mp3`).

    With a limiter, ffmpeg applies the gain and the limiter into a pipe and LAME
    encodes what comes out of it.
    """
    kbps = int(bitrate.removesuffix("k"))
    try:
        if limit_db is None:
            with pcm.open("rb") as source:
                mp3.encode_mp3(source, sample_rate, destination, kbps, gain_db)
        else:
            with _filtered(pcm, sample_rate, gain_db, limit_db) as source:
                mp3.encode_mp3(source, sample_rate, destination, kbps)
    except (RuntimeError, ValueError) as error:  # lameenc reports LAME's failures so
        destination.unlink(missing_ok=True)
        raise EncoderError(f"LAME failed to encode {destination.name}: {error}") from error
    except EncoderError:
        destination.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _filtered(pcm: Path, sample_rate: int, gain_db: float, limit_db: float) -> Iterator[IO[bytes]]:
    """ffmpeg's gain and limiter as a stream of s16le samples; raises if ffmpeg failed."""
    filters = ",".join([*_filters(gain_db, limit_db), f"asetnsamples=n={_PIPE_FRAME}:p=0"])
    command = [find_ffmpeg(), *_input_args(pcm, sample_rate), "-af", filters, "-f", "s16le", "-"]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        raise EncoderError(f"could not run ffmpeg: {error}", "check the ffmpeg install") from error
    with process:
        assert process.stdout is not None and process.stderr is not None
        _widen_pipe(process.stdout.fileno())
        yield process.stdout
        stderr = process.stderr.read()
    if process.returncode != 0:
        raise EncoderError(f"ffmpeg failed to limit the audio: {_last_lines(stderr)}")


_READ_BYTES = 1 << 18
_PIPE_FRAME = 1 << 15
"""Samples per frame that ffmpeg writes into the measuring pipe."""
_PIPE_BYTES = 1 << 20
"""The pipe buffer asked for, so ffmpeg runs ahead while the meter works (Linux)."""


def measure_filtered(pcm: Path, sample_rate: int, gain_db: float, limit_db: float) -> Loudness:
    """Loudness of ``pcm`` after the gain and limiter :func:`encode` would apply.

    ffmpeg runs the same filters into a pipe and the meter reads it as it comes,
    so the memory used stays small whatever the length. Only the integrated
    loudness is measured: the result's peaks are NaN.
    """
    # ffmpeg passes every frame (2,048 samples from raw PCM) between its threads and
    # writes it with a system call of its own; regrouped into large frames (p=0: no
    # padding, the samples are unchanged) there are far fewer, and pass 2 is ~1/3 faster
    filters = ",".join([*_filters(gain_db, limit_db), f"asetnsamples=n={_PIPE_FRAME}:p=0"])
    command = [find_ffmpeg(), *_input_args(pcm, sample_rate), "-af", filters, "-f", "s16le", "-"]
    meter = LoudnessMeter(sample_rate, peaks=False)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        _widen_pipe(process.stdout.fileno())
        while chunk := process.stdout.read(_READ_BYTES):
            meter.feed(np.frombuffer(chunk[: len(chunk) - len(chunk) % 2], dtype="<i2"))
        stderr = process.stderr.read()
    if process.returncode != 0:
        raise EncoderError(f"ffmpeg failed to measure the limited audio: {_last_lines(stderr)}")
    return meter.result()


def _widen_pipe(descriptor: int) -> None:
    """Enlarge a pipe's buffer from the usual 64 KiB, where the system allows it.

    With a small buffer ffmpeg waits whenever the meter is busy with a block, and
    the two take turns instead of running side by side.
    """
    try:
        import fcntl

        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or a lower limit: only slower


def _input_args(pcm: Path, sample_rate: int) -> list[str]:
    quiet = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    return [*quiet, "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", str(pcm)]


def _output_args(fmt: str, bitrate: str, gain_db: float, limit_db: float | None) -> list[str]:
    """The filter, codec, metadata and muxer options for ``fmt``."""
    spec = _CODECS.get(fmt)
    if spec is None:
        raise UsageError(f"unknown audio format {fmt!r}", f"use one of {', '.join(_CODECS)}")
    filters = _filters(gain_db, limit_db)
    args = ["-af", ",".join(filters)] if filters else []
    args += ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]
    args += list(spec.codec_args)
    if spec.lossy:
        args += ["-b:a", bitrate]
    return [*args, "-f", spec.muxer]


def _filters(gain_db: float, limit_db: float | None) -> list[str]:
    """ffmpeg audio filters: the gain, then (optionally) a delay-compensated limiter."""
    filters = [f"volume={gain_db:.2f}dB"] if round(gain_db, 2) != 0 else []
    if limit_db is not None:
        limit = 10 ** (limit_db / 20)
        filters.append(f"alimiter=limit={limit:.4f}:attack=2:release=10:level=0:latency=1")
    return filters


def _last_lines(stderr: bytes) -> str:
    """ffmpeg's last few error lines, without the object addresses."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    kept = [_ADDRESS.sub("", line) for line in lines if line][-_STDERR_LINES:]
    return " / ".join(kept) or "no message"
