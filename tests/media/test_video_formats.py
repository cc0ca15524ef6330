"""Video containers recognised from their bytes, the first Motion-JPEG frame found in an AVI, and a video prepared
with its poster covered on the worker (or refused with a reason)."""

from __future__ import annotations

import struct

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QTransform
from PySide6.QtWidgets import QApplication

from moderator_app.media.video import WAITING_FOR_POSTER, prepare_video
from moderator_app.media.video_formats import AVI, MP4, WEBM, first_avi_frame, sniff_video, video_mime_mismatch
from moderator_app.server.demo.avi import mjpeg_avi
from tests.media import imaging

MP4_HEADER = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


@pytest.fixture(scope="module")
def frames(qapp: QApplication) -> list[bytes]:
    """Three different JPEG frames of 320x240 with fine detail."""
    first = imaging.detailed_image(320, 240)
    turned = [first.transformed(QTransform().rotate(angle)) for angle in (180, 360)]
    return [imaging.encode(image, "JPEG", 85) for image in (first, *turned)]


@pytest.fixture(scope="module")
def avi(frames: list[bytes]) -> bytes:
    return mjpeg_avi(frames, 320, 240, 10)


def chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def test_containers_are_recognised_from_their_bytes(avi: bytes, frames: list[bytes]) -> None:
    assert sniff_video(avi) == AVI
    assert sniff_video(MP4_HEADER) == MP4
    assert sniff_video(b"\x1a\x45\xdf\xa3" + b"\x00" * 32) == WEBM
    assert sniff_video(frames[0]) is None  # a picture is not a video
    assert sniff_video(b"RIFF\x00\x00\x00\x00WEBPVP8 ") is None
    assert sniff_video(b"") is None


def test_a_declared_type_must_name_the_same_container() -> None:
    assert video_mime_mismatch("video/x-msvideo", AVI) is None
    assert video_mime_mismatch("Video/MP4; codecs=avc1", MP4) is None
    assert video_mime_mismatch("application/octet-stream", WEBM) is None
    assert video_mime_mismatch("video/mp4", AVI) == "the file says it is MP4 video but it is AVI video"
    assert video_mime_mismatch("image/jpeg", AVI) == "the file says it is image/jpeg but it is AVI video"


def test_the_first_frame_of_a_motion_jpeg_avi(avi: bytes, frames: list[bytes]) -> None:
    assert first_avi_frame(avi) == frames[0]
    # A JUNK chunk of odd size before the movie list, and frames grouped in a 'rec ' list: still found.
    riff = avi[12:]
    movi = riff.index(b"movi") - 8
    grouped = (
        riff[:movi] + chunk(b"JUNK", b"x" * 7) + chunk(b"LIST", b"movi" + chunk(b"LIST", b"rec " + riff[movi + 12 :]))
    )
    assert first_avi_frame(b"RIFF" + struct.pack("<I", len(grouped) + 4) + b"AVI " + grouped) == frames[0]


def test_a_cut_or_foreign_first_frame_gives_no_poster(avi: bytes, frames: list[bytes]) -> None:
    start = avi.index(frames[0])
    assert first_avi_frame(avi[: start + len(frames[0]) // 2]) is None  # cut inside the first frame
    assert first_avi_frame(avi[:start] + b"\x00\x00\x00\x01" + avi[start + 4 :]) is None  # not a JPEG (H.264 ...)
    huge = avi[:16] + struct.pack("<I", 0xFFFFFFF0) + avi[20:]  # a header list claiming 4 GB: walked past, no crash
    assert first_avi_frame(huge) is None
    assert first_avi_frame(MP4_HEADER) is None


def test_a_prepared_avi_has_its_poster_covered_at_once(avi: bytes) -> None:
    prepared = prepare_video(7, avi, declared_mime="video/x-msvideo", display_size=QSize(640, 480))
    assert prepared.ok and prepared.is_video and prepared.revealable and prepared.video == avi
    assert prepared.format == AVI and (prepared.width, prepared.height) == (320, 240)
    assert prepared.original is not None and prepared.original.size() == QSize(320, 240)  # never upscaled
    assert imaging.is_gray(prepared.covered)
    sharp = imaging.laplacian_variance(prepared.original)
    assert imaging.laplacian_variance(prepared.covered) < 0.1 * sharp


def test_a_video_whose_poster_needs_the_player_waits_with_a_placeholder() -> None:
    prepared = prepare_video(8, MP4_HEADER, declared_mime="video/mp4", display_size=QSize(640, 480))
    assert prepared.ok and prepared.is_video and prepared.original is None
    assert prepared.covered.size() == QSize(640, 480) and WAITING_FOR_POSTER.startswith("preparing")


@pytest.mark.parametrize(
    ("declared", "data_of", "reason"),
    [
        ("video/mp4", "avi", "the file says it is MP4 video but it is AVI video"),
        ("video/mp4", "jpeg", "the file is not a video in a supported format"),
        ("video/x-msvideo", "empty", "the file is not a video in a supported format"),
    ],
)
def test_a_refused_video_is_never_handed_to_the_player(
    avi: bytes, frames: list[bytes], declared: str, data_of: str, reason: str
) -> None:
    data = {"avi": avi, "jpeg": frames[0], "empty": b""}[data_of]
    prepared = prepare_video(9, data, declared_mime=declared, display_size=QSize(320, 240))
    assert prepared.error == reason
    assert prepared.video is None and not prepared.is_video and not prepared.revealable
    assert isinstance(prepared.covered, QImage) and not prepared.covered.isNull()
