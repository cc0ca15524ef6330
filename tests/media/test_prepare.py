"""prepare_media: covered + original at display size, placeholders for bad media, safe on worker threads."""

from __future__ import annotations

import os
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from moderator_app.media.blur import BlurStrength
from moderator_app.media.decode import MediaDecodeError, decode_image
from moderator_app.media.prepare import PreparedMedia, placeholder_image, prepare_media
from tests.media import imaging

DISPLAY = QSize(640, 480)


def bad_media(png: bytes, jpeg: bytes) -> dict[str, tuple[bytes, str | None]]:
    return {
        "bomb": (imaging.png_bomb(30000, 30000), "image/png"),
        "truncated jpeg": (jpeg[: len(jpeg) // 2], "image/jpeg"),
        "random bytes": (random.Random(3).randbytes(2048), "image/jpeg"),
        "png declared as jpeg": (png, "image/jpeg"),
    }


def test_covered_is_gray_blurred_and_original_is_colour_at_display_size(png_800: bytes) -> None:
    prepared = prepare_media(7, png_800, declared_mime="image/png", display_size=DISPLAY)
    assert prepared.ok and prepared.error is None
    assert prepared.media_id == 7
    assert (prepared.width, prepared.height) == (800, 600)
    assert prepared.format == "png"
    assert prepared.covered.size() == QSize(640, 480)
    assert prepared.original is not None and prepared.original.size() == QSize(640, 480)
    assert imaging.is_gray(prepared.covered)
    assert not imaging.is_gray(prepared.original)
    before = imaging.laplacian_variance(prepared.original)
    assert imaging.laplacian_variance(prepared.covered) <= 0.1 * before


def test_colour_cover_when_grayscale_is_off(png_800: bytes) -> None:
    prepared = prepare_media(1, png_800, display_size=DISPLAY, grayscale=False, strength=BlurStrength.LIGHT)
    assert not imaging.is_gray(prepared.covered)


def test_large_jpeg_is_decoded_at_display_size(jpeg_4000: bytes) -> None:
    prepared = prepare_media(2, jpeg_4000, declared_mime="image/jpeg", display_size=QSize(1280, 960))
    assert prepared.ok
    assert prepared.covered.size() == QSize(1280, 960)
    assert prepared.original is not None and prepared.original.size() == QSize(1280, 960)
    assert (prepared.width, prepared.height) == (4000, 3000)


@pytest.mark.parametrize("case", ["bomb", "truncated jpeg", "random bytes", "png declared as jpeg"])
def test_bad_media_gives_a_placeholder_with_the_decode_reason(png_800: bytes, jpeg_800: bytes, case: str) -> None:
    data, mime = bad_media(png_800, jpeg_800)[case]
    with pytest.raises(MediaDecodeError) as caught:
        decode_image(data, declared_mime=mime)
    prepared = prepare_media(9, data, declared_mime=mime, display_size=DISPLAY)
    assert not prepared.ok
    assert prepared.error == caught.value.reason
    assert prepared.original is None
    assert prepared.covered.size() == DISPLAY
    # Dark, with light text on it.
    assert imaging.mean_luma(prepared.covered) < 60
    assert imaging.max_luma(prepared.covered) > 150


def test_placeholder_shows_the_reason_as_text(qapp: object) -> None:
    one = placeholder_image("the file is truncated", DISPLAY)
    other = placeholder_image("the file says it is JPEG but it is PNG", DISPLAY)
    blank = placeholder_image("", DISPLAY)
    assert one.size() == DISPLAY
    assert one != other
    # More text, more lit pixels than the bare "Image not shown:" line.
    assert imaging.mean_luma(other) > imaging.mean_luma(blank)


def test_placeholder_for_an_invalid_size_still_has_a_size(qapp: object) -> None:
    assert not placeholder_image("x", QSize()).isNull()


def test_nothing_is_written_to_disk(
    png_800: bytes, jpeg_800: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(tmp_path))
    prepare_media(1, png_800, display_size=DISPLAY)
    for data, mime in bad_media(png_800, jpeg_800).values():
        prepare_media(2, data, declared_mime=mime, display_size=DISPLAY)
    assert os.listdir(tmp_path) == []


def test_prepare_runs_on_worker_threads(png_800: bytes, jpeg_800: bytes, jpeg_4000: bytes) -> None:
    jobs: list[tuple[int, bytes, str | None]] = [(1, png_800, "image/png"), (2, jpeg_800, "image/jpeg")]
    jobs += [(3, jpeg_4000, "image/jpeg")]
    jobs += [(10 + i, data, mime) for i, (data, mime) in enumerate(bad_media(png_800, jpeg_800).values())]
    main = threading.get_ident()
    threads: set[int] = set()

    def work(job: tuple[int, bytes, str | None]) -> PreparedMedia:
        threads.add(threading.get_ident())
        media_id, data, mime = job
        return prepare_media(media_id, data, declared_mime=mime, display_size=DISPLAY)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(work, jobs * 2))
    assert main not in threads
    by_id = {r.media_id: r for r in results}
    assert all(by_id[i].ok for i in (1, 2, 3))
    assert all(not by_id[i].ok and by_id[i].covered.size() == DISPLAY for i in range(10, 14))
    # The same input gives the same pixels whichever thread ran it.
    firsts = [r for r in results if r.media_id == 2]
    assert firsts[0].covered == firsts[1].covered
    assert all(isinstance(r.covered, QImage) and not r.covered.isNull() for r in results)


def test_transparent_png_is_flattened(qapp: object) -> None:
    img = QImage(100, 50, QImage.Format.Format_ARGB32)
    img.fill(0)
    prepared = prepare_media(4, imaging.encode(img, "PNG"), display_size=DISPLAY)
    assert prepared.original is not None
    assert not prepared.original.hasAlphaChannel()
    assert imaging.pixel_rgb(prepared.original, 10, 10) == (128, 128, 128)
