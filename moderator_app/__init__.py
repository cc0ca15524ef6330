"""Desktop review client for content moderators, with its reference moderation server."""

__version__ = "0.1.0"
