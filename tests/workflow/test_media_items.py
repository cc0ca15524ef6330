"""Preparing a claimed item's media: covered with the wellness settings, thumbnails of the context, memory caches."""

from __future__ import annotations

from moderator_app.core.models import ItemKind
from moderator_app.media.blur import BlurStrength
from moderator_app.workflow.items import (
    MEDIA_CACHE,
    THUMBNAIL_SIZE,
    MediaSettings,
    media_settings,
    set_media_settings,
)
from tests.media import imaging
from tests.ui import media_samples as ms


def test_media_is_covered_grayscale_and_thumbnails_have_no_original(qapp) -> None:
    review = ms.item_with_media(1, [(11, ms.detailed_png(), "image/png"), (12, ms.detailed_png(640, 480), "image/png")])
    assert [m.media_id for m in review.media] == [11, 12]
    for media in review.media:
        assert media.ok and imaging.is_gray(media.covered) and media.original is not None
        assert imaging.laplacian_variance(media.covered) < 0.1 * imaging.laplacian_variance(media.original)
    # Every post around it with media has a covered thumbnail, which can never be revealed.
    assert set(review.thumbnails) == {11, 12}
    for thumb in review.thumbnails.values():
        assert thumb.original is None and not thumb.revealable and thumb.source is None
        assert thumb.covered.width() <= THUMBNAIL_SIZE.width() and thumb.covered.height() <= THUMBNAIL_SIZE.height()


def test_large_files_keep_their_bytes_in_memory_for_a_zoom_small_ones_do_not(qapp) -> None:
    big = ms.item_with_media(2, [(21, ms.detailed_jpeg(3000, 2000), "image/jpeg")])
    assert big.media[0].source is not None and big.media[0].width == 3000
    small = ms.item_with_media(3, [(31, ms.detailed_png(400, 300), "image/png")])
    assert small.media[0].source is None  # decoded whole already: nothing more to zoom into


def test_missing_media_becomes_a_placeholder_with_the_server_reason(qapp) -> None:
    api = ms.FakeApi({})
    from datetime import timedelta

    from moderator_app.core.models import Claim, ClaimedItem
    from moderator_app.workflow.items import clear_media_caches, prepare_review_item
    from tests.ui import samples

    clear_media_caches()
    item = samples.item(4, ItemKind.POST)
    claim = Claim(item_id=4, queue_id=3, lease_expires_at=samples.NOW + timedelta(minutes=5))
    review = prepare_review_item(api, ClaimedItem(claim=claim, item=item), ms.DISPLAY)  # type: ignore[arg-type]
    assert [m.error for m in review.media] == ["That media does not exist."] * 2
    assert not any(m.revealable for m in review.media)


def test_settings_apply_to_new_items_and_empty_the_cache(qapp) -> None:
    ms.item_with_media(5, [(51, ms.detailed_png(), "image/png")])
    assert 51 in MEDIA_CACHE
    try:
        assert set_media_settings(MediaSettings(grayscale=False, strength=BlurStrength.LIGHT))
        assert 51 not in MEDIA_CACHE and media_settings().strength is BlurStrength.LIGHT
        assert not set_media_settings(MediaSettings(grayscale=False, strength=BlurStrength.LIGHT))  # no change
        colour = ms.item_with_media(6, [(61, ms.detailed_png(), "image/png")])
        assert not imaging.is_gray(colour.media[0].covered)
    finally:
        set_media_settings(MediaSettings())


def test_the_same_media_in_two_items_is_prepared_once(qapp) -> None:
    api = ms.FakeApi({71: (ms.detailed_png(), "image/png")})
    from moderator_app.workflow.items import _prepare_one, clear_media_caches

    clear_media_caches()
    ref = ms.ref(71, "image/png")
    first = _prepare_one(api, ref, ms.DISPLAY, MediaSettings())
    second = _prepare_one(api, ref, ms.DISPLAY, MediaSettings())
    assert first is second and api.requests == [71]
