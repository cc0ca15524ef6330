"""A deterministic synthetic demo dataset: queues, channels, posts, generated images, flagged items and history.

All of it is invented and tame: texts read like the harm areas without depicting them, child-safety items carry only
neutral stand-ins, and the pictures are generated shapes, gradients, patterns and text.
"""

from __future__ import annotations

from moderator_app.server.demo.images import ensure_gui_application
from moderator_app.server.demo.seed import DEFAULT_SEED, DemoDataExistsError, DemoSummary, seed_demo
from moderator_app.server.demo.users import DEMO_PASSWORD, DEMO_USERS, create_demo_users

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "DemoDataExistsError",
    "DemoSummary",
    "create_demo_users",
    "ensure_gui_application",
    "seed_demo",
]
