"""Recognise video containers from their bytes, and find the first Motion-JPEG frame of an AVI. Pure Python, no Qt.

Like pictures (see formats.py), a video's declared type is never trusted: only the containers named here are handed
to the player, so FFmpeg's many rarer demuxers never see flagged media, and a declared type that names another
container than the bytes is refused. The AVI walk lets the client cover a poster frame on a worker while it
prepares the item (the demo's videos are Motion-JPEG in AVI); other videos get their poster from the player.
"""

from __future__ import annotations

import struct

from moderator_app.media.formats import normalize_mime

AVI = "avi"
MP4 = "mp4"  # ISO base media: MP4, M4V, QuickTime
WEBM = "webm"  # Matroska: WebM, MKV

VIDEO_FORMAT_NAMES: dict[str, str] = {AVI: "AVI", MP4: "MP4", WEBM: "WebM"}

_MIME_FORMATS: dict[str, str] = {
    "video/x-msvideo": AVI,
    "video/avi": AVI,
    "video/msvideo": AVI,
    "video/vnd.avi": AVI,
    "video/mp4": MP4,
    "video/x-m4v": MP4,
    "video/quicktime": MP4,
    "video/webm": WEBM,
    "video/x-matroska": WEBM,
}
_GENERIC_MIMES = frozenset({"", "application/octet-stream", "binary/octet-stream", "video/*"})
_JPEG_START = b"\xff\xd8\xff"


def sniff_video(data: bytes) -> str | None:
    """The container named by the file's first bytes, or None when it is none of the supported ones."""
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"AVI ":
        return AVI
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return MP4
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return WEBM
    return None


def video_mime_mismatch(declared: str | None, fmt: str) -> str | None:
    """A sentence when the declared type names another container than the bytes, else None."""
    mime = normalize_mime(declared)
    if mime in _GENERIC_MIMES:
        return None
    declared_fmt = _MIME_FORMATS.get(mime)
    if declared_fmt == fmt:
        return None
    said = f"{VIDEO_FORMAT_NAMES[declared_fmt]} video" if declared_fmt else mime
    return f"the file says it is {said} but it is {VIDEO_FORMAT_NAMES[fmt]} video"


def _chunk_at(data: bytes, pos: int) -> tuple[bytes, int, int] | None:
    """(fourcc, data start, data size) of the RIFF chunk at pos, or None when its header does not fit."""
    if pos + 8 > len(data):
        return None
    fourcc = data[pos : pos + 4]
    (size,) = struct.unpack_from("<I", data, pos + 4)
    return fourcc, pos + 8, size


def first_avi_frame(data: bytes) -> bytes | None:
    """The first video frame of an AVI when it is a complete JPEG (Motion-JPEG), else None.

    Walks the top-level chunks to the 'movi' list, then takes the first video chunk ('##dc' or '##db'). Every step
    moves forward by at least a chunk header, so a hostile file costs at most one pass over its bytes.
    """
    if sniff_video(data) != AVI:
        return None
    pos, end = 12, len(data)
    while (chunk := _chunk_at(data, pos)) is not None:
        fourcc, start, size = chunk
        if fourcc == b"LIST" and data[start : start + 4] == b"movi":
            return _first_frame_in(data, start + 4, min(end, start + size))
        pos = start + size + (size & 1)
    return None


def _first_frame_in(data: bytes, pos: int, end: int) -> bytes | None:
    while (chunk := _chunk_at(data, pos)) is not None and pos < end:
        fourcc, start, size = chunk
        if fourcc == b"LIST":  # 'rec ' groups: look inside
            pos = start + 4
            continue
        if fourcc[2:4] in (b"dc", b"db"):
            frame = data[start : start + size]
            # Cut short, or another codec: the player will make the poster instead.
            return frame if len(frame) == size and frame.startswith(_JPEG_START) else None
        pos = start + size + (size & 1)
    return None
