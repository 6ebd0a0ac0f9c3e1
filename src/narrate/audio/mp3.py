"""MP3 encoding in process with LAME (the ``lameenc`` wheel), with an exact LAME tag.

ffmpeg's libmp3lame runs the same LAME, but around it ffmpeg 7 passes every frame
between its demuxer, decoder, filter and encoder threads: about a third more CPU
time than the encoding itself. Here LAME encodes the finished samples straight
into the output file.

LAME leaves the gapless information to the application: the first frame of the
file is a "Info" frame (a CBR Xing header with the LAME extension) that names the
frame count and the encoder delay and padding, so decoders (ffmpeg, browsers,
mutagen) drop exactly the samples LAME added and every timing stays exact.

A narration can be encoded in parts on several cores (:func:`encode_mp3_parts`)
and joined frame after frame into one stream; a part's frames can be kept and used
again in the next run, when the part has not changed. Each part ends in silence and the next
one starts on a frame boundary, where LAME's padding after the previous part ends:
LAME writes ``ceil((n + JUNCTION_SAMPLES) / frame)`` frames for ``n`` samples, so a
part that leaves out the last :data:`JUNCTION_SAMPLES` (silent) samples of its span
fills the span exactly, and every timing stays exact in the joined file too.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import functools
import importlib.metadata
import io
import struct
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from narrate.errors import EncoderError

__all__ = [
    "JUNCTION_SAMPLES",
    "SAMPLE_RATES",
    "LAME_QUALITY",
    "FrameStore",
    "Part",
    "available",
    "bitrates_kbps",
    "encode_mp3",
    "encode_mp3_parts",
    "frame_samples",
    "info_frame",
    "lame_version",
    "mpeg_version",
]

LAME_QUALITY = 3
"""LAME's noise-shaping effort, as ffmpeg's libmp3lame uses by default (0 best, 9 fastest)."""
ENCODER_DELAY = 576
"""Samples LAME puts before the audio; decoders add their own 529 (the LAME convention)."""
_DECODER_DELAY = 529
_BLOCK_FRAMES = 1 << 17
_VERSION = b"LAME3.100"
MIN_KBPS = 32
"""Below this a frame is too small for the Info frame: ffmpeg encodes such MP3s."""
JUNCTION_SAMPLES = 1152
"""The silent samples at the end of a part's span that LAME's padding stands in for."""


@functools.cache
def lame_version() -> str:
    """The ``lameenc`` wheel's version (part of a kept part's address)."""
    try:
        return importlib.metadata.version("lameenc")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def available() -> bool:
    """Whether the ``lameenc`` wheel can be imported here."""
    try:
        import lameenc  # noqa: F401
    except ImportError:
        return False
    return True


def encode_mp3(
    blocks: Iterable[bytes], sample_rate: int, destination: Path, bitrate_kbps: int
) -> None:
    """Encode raw mono s16le ``blocks`` (even-sized, in order) to a CBR MP3 at ``destination``."""
    placeholder = frame_bytes(sample_rate, bitrate_kbps)
    with destination.open("w+b") as target:
        target.write(bytes(placeholder))  # the Info frame goes here when the counts are known
        samples = _encode_into(target, blocks, sample_rate, bitrate_kbps)
        _write_info_frame(target, placeholder, samples)


class FrameStore(Protocol):
    """Where encoded parts are kept between runs (the chunk cache is one, see
    :class:`narrate.audio.units.PartStore`)."""

    def get_data(self, key: str) -> bytes | None:
        """The data stored under ``key``, or ``None``."""

    def put_data(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``."""


@dataclass(frozen=True)
class Part:
    """One part of a narration for :func:`encode_mp3_parts`."""

    blocks: Callable[[], Iterable[bytes]]
    """Makes its samples (raw mono s16le, in order); not called when its frames are kept."""
    samples: int
    """How many samples ``blocks`` gives."""
    span: int | None
    """How many samples of the narration it stands for: its own plus the
    :data:`JUNCTION_SAMPLES` of silence left out at its end, a whole number of frames;
    ``None`` for the last part, which is encoded whole."""
    key: str | None = None
    """Where its frames are kept in the :class:`FrameStore` (``None``: not kept)."""


def encode_mp3_parts(
    parts: Sequence[Part],
    sample_rate: int,
    destination: Path,
    bitrate_kbps: int,
    *,
    workers: int = 1,
    store: FrameStore | None = None,
) -> bool:
    """Encode ``parts`` into one CBR MP3, up to ``workers`` of them at once, each on a thread.

    LAME releases the GIL, so the parts are encoded on as many cores, and written in
    order as they are done (at most a few parts are held in memory). A part whose frames
    ``store`` keeps (under its key) is not encoded again; a newly encoded one is kept.
    Returns ``False`` (and leaves no ``destination``) when a part did not come out at
    its span, or the disk is too full, so the caller encodes the narration in one piece
    instead. When one part fails, or the caller is interrupted (Ctrl-C), the others stop
    at their next block.
    """
    joined = False
    try:
        joined = _encode_and_join(parts, sample_rate, destination, bitrate_kbps, workers, store)
    except OSError as error:
        if error.errno not in _NO_ROOM:
            raise
    finally:
        if not joined:  # failed, interrupted or left to one piece: make room for it
            destination.unlink(missing_ok=True)
    return joined


_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
"""A full disk, a quota or a file size limit: one piece may still fit."""


def _encode_and_join(
    parts: Sequence[Part],
    sample_rate: int,
    destination: Path,
    kbps: int,
    workers: int,
    store: FrameStore | None,
) -> bool:
    placeholder = frame_bytes(sample_rate, kbps)
    encoding = _Encoding(sample_rate, kbps, placeholder, store)
    with (
        destination.open("w+b") as target,
        contextlib.closing(encoding.frames_in_order(parts, workers)) as framed,
    ):
        target.write(bytes(placeholder))  # the Info frame goes here when the counts are known
        count = 0
        for part, frames in zip(parts, framed, strict=False):
            if frames is None:
                return False
            target.write(frames)
            count += encoding.frame_count(part, frames)
        total = sum(part.span if part.span is not None else part.samples for part in parts)
        _write_info_frame(target, placeholder, total, count)
    return True


_AHEAD_PER_WORKER = 2
"""Parts encoded ahead of the one being written, per worker."""


@dataclass(frozen=True)
class _Encoding:
    """How the parts of one narration are encoded, checked and kept."""

    sample_rate: int
    kbps: int
    frame_size: int
    store: FrameStore | None
    stop: threading.Event = field(default_factory=threading.Event)

    def frames_in_order(
        self, parts: Sequence[Part], workers: int
    ) -> Generator[bytes | None, None, None]:
        """Each part's frames in order (``None`` for one that missed its span): kept
        ones from the store, the others encoded on ``workers`` threads; at most a window
        of parts is held, and each is handed on as soon as those before it are."""
        pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="narrate-lame")
        pending: collections.deque[tuple[Part, bytes | Future[bytes | None]]] = collections.deque()
        window = max(1, workers) * _AHEAD_PER_WORKER
        try:
            for part in parts:
                kept = self._kept(part)
                pending.append(
                    (part, kept if kept is not None else pool.submit(self._encode, part))
                )
                while pending and (len(pending) > window or _ready(pending[0][1])):
                    yield self._done(*pending.popleft())
            while pending:
                yield self._done(*pending.popleft())
        finally:  # normally all done; else the others stop at their next block
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)

    def _kept(self, part: Part) -> bytes | None:
        """The part's frames from the store, if they are as many frames of this stream as
        the part needs (each frame was checked when they were kept, and the store checks
        its entries are whole)."""
        if self.store is None or part.key is None:
            return None
        frames = self.store.get_data(part.key)
        if frames is None or self._framed(frames) is None:
            return None
        count = self._frames_written(part)
        fits = count * self.frame_size <= len(frames) <= count * (self.frame_size + 1)
        return frames if fits else None

    def _frames_written(self, part: Part) -> int:
        """How many frames LAME writes for ``part``: its span's worth, or for the last part
        ``ceil((samples + JUNCTION_SAMPLES) / frame)``."""
        samples = part.span if part.span is not None else part.samples + JUNCTION_SAMPLES
        return -(-samples // frame_samples(self.sample_rate))

    def _done(self, part: Part, job: bytes | Future[bytes | None]) -> bytes | None:
        if isinstance(job, bytes):
            return job
        frames = job.result()
        if frames is not None and self.store is not None and part.key is not None:
            self.store.put_data(part.key, frames)
        return frames

    def _encode(self, part: Part) -> bytes | None:
        """The part's frames; ``None`` if they miss its span or its sample count."""
        target = io.BytesIO()
        samples = _encode_into(
            target, _until(self.stop, part.blocks()), self.sample_rate, self.kbps
        )
        frames = target.getvalue()
        return frames if samples == part.samples and self._fits(frames, part) else None

    def frame_count(self, part: Part, frames: bytes) -> int:
        """How many frames ``part``'s ``frames`` (which fit it) are."""
        samples_per_frame = frame_samples(self.sample_rate)
        if part.span is not None:
            return part.span // samples_per_frame
        return _count_frames(io.BytesIO(frames), 0, len(frames), _Header.parse(frames[:4]))

    def _framed(self, frames: bytes) -> _Header | None:
        """The first frame's header, if ``frames`` start with a frame of this stream."""
        if len(frames) < 4 or frames[0] != 0xFF or frames[1] & 0xE0 != 0xE0:
            return None
        header = _Header.parse(frames[:4])
        return header if header.frame_bytes(padded=False) == self.frame_size else None

    def _fits(self, frames: bytes, part: Part) -> bool:
        """Whether ``frames`` are frames of this stream that fill ``part``'s span."""
        header = self._framed(frames)
        if header is None:
            return False
        try:
            count = _count_frames(io.BytesIO(frames), 0, len(frames), header)
        except EncoderError:
            return False
        return part.span is None or count * header.samples_per_frame == part.span


def _ready(job: bytes | Future[bytes | None]) -> bool:
    return isinstance(job, bytes) or job.done()


def _until(stop: threading.Event, blocks: Iterable[bytes]) -> Iterator[bytes]:
    """``blocks``, ending early (with :class:`EncoderError`) once ``stop`` is set."""
    for block in blocks:
        if stop.is_set():
            raise EncoderError("stopped: another part failed or the run was interrupted")
        yield block


_MPEG1_LOWEST_RATE = 32000
_MPEG2_LOWEST_RATE = 16000


def mpeg_version(sample_rate: int) -> str:
    """The MPEG audio version a layer III stream at ``sample_rate`` is written as."""
    if sample_rate >= _MPEG1_LOWEST_RATE:
        return "MPEG-1"
    return "MPEG-2" if sample_rate >= _MPEG2_LOWEST_RATE else "MPEG-2.5"


def frame_samples(sample_rate: int) -> int:
    """Samples per layer III frame: 1152 for MPEG-1 (32 kHz and up), else 576."""
    return 1152 if sample_rate >= _MPEG1_LOWEST_RATE else 576


def _encode_into(
    target: IO[bytes], blocks: Iterable[bytes], sample_rate: int, bitrate_kbps: int
) -> int:
    """Encode ``blocks`` with a new LAME into ``target``; the number of samples."""
    encoder = _encoder(sample_rate, bitrate_kbps)
    samples = 0
    for block in blocks:
        samples += len(block) // 2
        target.write(bytes(encoder.encode(block)))
    target.write(bytes(encoder.flush()))
    return samples


def _encoder(sample_rate: int, bitrate_kbps: int) -> Any:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(LAME_QUALITY)
    return encoder


def bitrates_kbps(sample_rate: int) -> tuple[int, ...]:
    """The bitrates (kbps) a CBR layer III stream can have at ``sample_rate``.

    ISO 11172-3 (MPEG-1, 32 to 48 kHz) and ISO 13818-3 (MPEG-2, and MPEG-2.5
    below 16 kHz) each define 14 bitrates; a frame header can name no other, so
    LAME asked for another one writes the nearest, and the Info frame no longer fits.
    """
    return _Header.bitrates(mpeg1=sample_rate >= _MPEG1_LOWEST_RATE)


def frame_bytes(sample_rate: int, bitrate_kbps: int) -> int:
    """The size of an unpadded layer III frame (MPEG-1 from 32 kHz up, else MPEG-2/2.5)."""
    bytes_per_bit_second = frame_samples(sample_rate) // 8
    return bytes_per_bit_second * bitrate_kbps * 1000 // sample_rate


def _write_info_frame(
    target: IO[bytes], placeholder: int, samples: int, frames: int | None = None
) -> None:
    """Write the Info frame over the placeholder; the frames after it are counted unless
    their number is known."""
    end = target.tell()
    target.seek(placeholder)
    first = target.read(4)
    if len(first) < 4 or first[0] != 0xFF or first[1] & 0xE0 != 0xE0:
        raise EncoderError("LAME wrote no MP3 frames")
    header = _Header.parse(first)
    if header.frame_bytes(padded=False) != placeholder:
        raise EncoderError("LAME wrote frames of another size than asked for")
    if frames is None:
        frames = _count_frames(target, placeholder, end, header)
    end_pad = frames * header.samples_per_frame - ENCODER_DELAY - samples
    frame = info_frame(first, frames, end - placeholder, ENCODER_DELAY, end_pad)
    target.seek(0)
    target.write(frame)


_SCAN_BYTES = 1 << 20


def _count_frames(stream: IO[bytes], start: int, end: int, header: _Header) -> int:
    """The number of frames from ``start`` to ``end``, walking from header to header."""
    frames = 0
    position = start
    while position + 4 <= end:
        stream.seek(position)
        window = stream.read(min(_SCAN_BYTES, end - position))
        offset = 0
        while offset + 4 <= len(window):
            if window[offset] != 0xFF or window[offset + 1] & 0xE0 != 0xE0:
                raise EncoderError(f"LAME wrote a broken MP3 stream (offset {position + offset})")
            offset += header.frame_bytes(padded=bool(window[offset + 2] & 0x02))
            frames += 1
        position += offset
    return frames


class _Header:
    """The fields of an MPEG audio frame header that size a frame."""

    _BITRATES = {  # kbps by bitrate index: MPEG-1 layer III, MPEG-2/2.5 layer III
        1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
        2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    }
    _RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}

    def __init__(self, version_bits: int, bitrate_index: int, rate_index: int, mono: bool):
        self.mpeg1 = version_bits == 3
        self.sample_rate = self._RATES[version_bits][rate_index]
        self.bitrate = self._BITRATES[1 if self.mpeg1 else 2][bitrate_index] * 1000
        self.samples_per_frame = 1152 if self.mpeg1 else 576
        self.mono = mono

    @classmethod
    def bitrates(cls, mpeg1: bool) -> tuple[int, ...]:
        """The bitrates (kbps) the header can name, without the "free format" index 0."""
        return cls._BITRATES[1 if mpeg1 else 2][1:]

    @classmethod
    def parse(cls, header: bytes) -> _Header:
        version_bits = (header[1] >> 3) & 3
        return cls(version_bits, header[2] >> 4, (header[2] >> 2) & 3, header[3] >> 6 == 3)

    def frame_bytes(self, padded: bool) -> int:
        per_sample = 144 if self.mpeg1 else 72
        return per_sample * self.bitrate // self.sample_rate + int(padded)

    @property
    def side_info_bytes(self) -> int:
        if self.mpeg1:
            return 17 if self.mono else 32
        return 9 if self.mono else 17


SAMPLE_RATES = tuple(sorted(rate for rates in _Header._RATES.values() for rate in rates))
"""The only rates a layer III frame header can name (MPEG-1, 2 and 2.5)."""


def info_frame(first_header: bytes, frames: int, stream_bytes: int, delay: int, pad: int) -> bytes:
    """A LAME "Info" frame for a CBR stream of ``frames`` frames and ``stream_bytes`` bytes.

    It has the stream's own header (unpadded, no CRC) and says how many samples the
    encoder added before (``delay``) and after (``pad``) the audio. Raises
    :class:`EncoderError` when a frame at this bitrate is too small to hold it.
    """
    header = _Header.parse(first_header)
    size = header.frame_bytes(padded=False)
    flags = bytes((first_header[1] | 0x01, first_header[2] & 0xFD))  # no CRC, no padding
    total = stream_bytes + size
    # frame count, byte count and quality; no seek table: a CBR stream seeks linearly
    xing = b"Info" + struct.pack(">IIII", 0x0B, frames, total, 0)
    delays = ((delay & 0xFFF) << 12 | (pad & 0xFFF)).to_bytes(3, "big")
    bitrate = min(255, header.bitrate // 1000)
    lame = _VERSION + bytes((0x01, 0)) + bytes(8) + bytes((0, bitrate)) + delays
    lame += bytes(4) + struct.pack(">I", total) + bytes(2)
    body = first_header[:1] + flags + first_header[3:4] + bytes(header.side_info_bytes)
    body += xing + lame
    frame = body + struct.pack(">H", _crc16(body))
    if len(frame) > size:
        raise EncoderError(
            f"an MP3 frame at {header.bitrate // 1000} kbps is too small for the LAME tag"
        )
    return frame.ljust(size, b"\0")


def _crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, reflected), as the LAME tag uses."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc
