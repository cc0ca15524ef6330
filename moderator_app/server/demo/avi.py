"""A minimal AVI (RIFF) writer for Motion-JPEG frames: the demo's videos, without an encoder binary.

Every frame is a complete JPEG (a key frame), so a player can seek anywhere; the legacy `idx1` index lets it do so
without scanning. Pure Python: the same frames give the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

MIME_TYPE = "video/x-msvideo"
_KEY_FRAME = 0x10  # AVIIF_KEYFRAME
_HAS_INDEX = 0x10  # AVIF_HASINDEX
_STREAM = b"00dc"  # stream 0, compressed video


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    """A RIFF chunk; odd sizes are padded to a word, as the format requires (the size field excludes the pad)."""
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _list(kind: bytes, body: bytes) -> bytes:
    return _chunk(b"LIST", kind + body)


def mjpeg_avi(frames: Sequence[bytes], width: int, height: int, fps: int) -> bytes:
    """An AVI file of one Motion-JPEG video stream; frames are JPEG files of width x height, fps a second."""
    if not frames or width <= 0 or height <= 0 or fps <= 0:
        raise ValueError("an AVI needs frames, a size and a frame rate")
    count, largest = len(frames), max(len(frame) for frame in frames)
    main_header = struct.pack(
        "<14I", 1_000_000 // fps, largest * fps, 0, _HAS_INDEX, count, 0, 1, largest, width, height, 0, 0, 0, 0
    )
    # fccType, fccHandler, flags, priority, language, initial frames, scale, rate (rate/scale = fps), start,
    # length (frames), suggested buffer size, quality (-1: default), sample size (0: varies), frame rectangle.
    stream_header = (
        b"vids"
        + b"MJPG"
        + struct.pack("<IHHIIIIIIIIhhhh", 0, 0, 0, 0, 1, fps, 0, count, largest, 0xFFFFFFFF, 0, 0, 0, width, height)
    )
    # BITMAPINFOHEADER: size, width, height, planes, bits, compression, image size, resolution x/y, colours.
    stream_format = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3, 0, 0, 0, 0)
    header_list = _list(
        b"hdrl",
        _chunk(b"avih", main_header) + _list(b"strl", _chunk(b"strh", stream_header) + _chunk(b"strf", stream_format)),
    )
    movie = bytearray()
    index = bytearray()
    for frame in frames:
        # idx1 offsets count from the 'movi' fourcc, so the first chunk sits at 4.
        index += _STREAM + struct.pack("<III", _KEY_FRAME, 4 + len(movie), len(frame))
        movie += _chunk(_STREAM, frame)
    return _chunk(b"RIFF", b"AVI " + header_list + _list(b"movi", bytes(movie)) + _chunk(b"idx1", bytes(index)))
