"""Settings of the reference server, in one validated object passed to everything that needs it."""

from __future__ import annotations

from dataclasses import dataclass, field

from moderator_app.server.security import DEFAULT_SCRYPT, ScryptParams


@dataclass
class ServerSettings:
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8765  # 0 = any free port (the embedded server reports the real one)
    demo: bool = False  # seed the demo dataset and demo users into an empty database
    lease_seconds: int = 300
    token_ttl_seconds: int = 12 * 3600
    max_body_bytes: int = 65536
    login_max_failures: int = 10  # per username and per client address, within the window
    login_window_seconds: int = 300
    # Cost of the password hash for users created through the server and for the dummy hash that keeps a login
    # for an unknown user as slow as one for a real user. Tests may lower it; stored hashes carry their own cost.
    password_kdf: ScryptParams = field(default_factory=lambda: DEFAULT_SCRYPT)
    undo_seconds: int = 30  # how long a lead's bulk reassignment can be undone
    appeal_deadline_seconds: int = 7 * 86400  # time to decide an appeal
    # Keys the QA sampling draw (HMAC of the decision id), so moderators cannot tell which decisions get sampled.
    # None: a random secret is made once and kept in the database (server_settings).
    qa_sampling_secret: str | None = None

    def __post_init__(self) -> None:
        if not self.db_url:
            raise ValueError("db_url is required")
        if self.lease_seconds < 1:
            raise ValueError("lease_seconds must be at least 1")
        if self.token_ttl_seconds < 1:
            raise ValueError("token_ttl_seconds must be at least 1")
        if self.max_body_bytes < 1024:
            raise ValueError("max_body_bytes must be at least 1024")
        if self.login_max_failures < 1 or self.login_window_seconds < 1:
            raise ValueError("login rate limits must be positive")
        if self.undo_seconds < 0 or self.appeal_deadline_seconds < 1:
            raise ValueError("undo_seconds must be >= 0 and appeal_deadline_seconds >= 1")
        if not 0 <= self.port <= 65535:
            raise ValueError("port must be in 0..65535")
