"""Which demo posts carry a video: one short video per area, on its most urgent open post without pictures, so
opening one of these queues soon shows a video."""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING

from moderator_app.core.models import ItemKind, ItemStatus
from moderator_app.server.demo.catalogue import Area
from moderator_app.server.demo.videos import VideoSpec

if TYPE_CHECKING:
    from moderator_app.server.demo.plan import DemoPlan

# (style, width, height, frames a second, frames): a few seconds and a few hundred KB each, drawn while the demo
# seeds. No child-safety area: its stand-ins stay still abstract pictures.
VIDEO_AREAS: dict[Area, tuple[str, int, int, int, int]] = {
    Area.TERROR: ("clip", 320, 240, 10, 30),
    Area.HATE: ("clip", 384, 216, 10, 30),
    Area.SCAM: ("screen", 240, 320, 8, 24),
    Area.DRUGS: ("clip", 320, 240, 10, 30),
}


def add_videos(plan: DemoPlan, seed: int) -> None:
    """Attach the videos to a finished plan. Its own random stream, taken last, so everything else in the dataset
    is the same with or without videos."""
    rng = Random(f"{seed}/videos")
    for area, (style, width, height, fps, frames) in VIDEO_AREAS.items():
        candidates = [
            item
            for item in plan.items
            if item.kind is ItemKind.POST
            and item.status is ItemStatus.PENDING
            and item.post is not None
            and not plan.posts[item.post].images
            and plan.channels[item.channel].spec.area is area
        ]
        if not candidates:
            continue
        chosen = min(candidates, key=lambda item: item.deadline)
        assert chosen.post is not None
        post = plan.posts[chosen.post]
        spec = plan.channels[chosen.channel].spec
        caption = post.text.split("\n", 1)[0][:70] or spec.title
        plan.videos.append(VideoSpec(style, width, height, fps, frames, rng.getrandbits(31), spec.handle, caption))
        post.videos.append(len(plan.videos) - 1)
