"""Posts due outbox entries to the server, one round at a time, with exponential backoff and full jitter.

Run send_due() on a worker thread (it blocks on HTTP). Each round sends what is due and sorts every entry into exactly
one outcome: sent, conflict (someone else decided), failed (the server refuses it for good), or back to pending with
a later retry time. A round stops at the first sign that further requests are pointless right now (offline, signed
out, rate limited), so a dead network is probed by one request per round, not by every entry.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from moderator_app.client.errors import (
    ApiError,
    Conflict,
    ConnectionFailed,
    Forbidden,
    InvalidRequest,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from moderator_app.client.outbox import Outbox, OutboxEntry
from moderator_app.core.models import Decision, DecisionRequest

log = logging.getLogger(__name__)

SIGN_IN_AGAIN = "Your session expired; sign in again."
_MAX_EXPONENT = 60  # 2**60 seconds is past any max_delay; stops float overflow for absurd attempt counts


class DecisionPoster(Protocol):
    """What the sender needs from ApiClient (tests may pass a stand-in)."""

    @property
    def token(self) -> str | None: ...

    def decide(self, item_id: int, request: DecisionRequest, idempotency_key: str) -> Decision: ...


@dataclass
class SendReport:
    sent: int = 0
    conflicts: list[OutboxEntry] = field(default_factory=list)
    failed: list[OutboxEntry] = field(default_factory=list)
    retrying: int = 0  # entries put back with a later retry time this round
    last_error: str | None = None
    offline: bool = False  # the server could not be reached; the round stopped
    unauthenticated: bool = False  # the token is missing or rejected; nothing is sent until the user signs in


class OutboxSender:
    def __init__(
        self,
        outbox: Outbox,
        api: DecisionPoster,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox = outbox
        self.api = api
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.rng = rng or random.Random()

    def backoff_delay(self, attempts: int) -> float:
        """Seconds to wait after a failed attempt, given how many attempts came before it (full jitter)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** min(max(attempts, 0), _MAX_EXPONENT))
        return self.rng.uniform(0, ceiling)

    def send_due(self, now: datetime | None = None) -> SendReport:
        now = datetime.now(UTC) if now is None else now
        report = SendReport()
        due = self.outbox.due(now)
        if due and self.api.token is None:
            # Without a token every request would be a 401; keep the entries pending for after sign-in.
            report.unauthenticated = True
            report.last_error = SIGN_IN_AGAIN
            return report
        for entry in due:
            if not self.outbox.mark_sending(entry.id):
                continue  # undone (cancelled) or taken by another round since due() listed it
            if not self._send_one(entry, now, report):
                break
        return report

    def _send_one(self, entry: OutboxEntry, now: datetime, report: SendReport) -> bool:
        """Send one entry and record its outcome. Returns False when the round should stop."""
        try:
            decision = self.api.decide(entry.item_id, entry.request, entry.idempotency_key)
        except ConnectionFailed as exc:
            self._retry_later(entry, exc, now, report)
            report.offline = True
            return False
        except Unauthenticated as exc:
            # Not the entry's fault: keep it due, so it goes out right after the user signs in again.
            log.info("outbox entry %s: %s", entry.id, exc.code)
            self.outbox.mark_retry(entry.id, SIGN_IN_AGAIN, now)
            report.unauthenticated = True
            report.last_error = SIGN_IN_AGAIN
            return False
        except Conflict as exc:
            self.outbox.mark_conflict(entry.id, exc.message, exc.decision)
            self._collect(entry.id, report.conflicts)
            report.last_error = exc.message
            return True
        except (InvalidRequest, NotFound, Forbidden) as exc:
            self.outbox.mark_failed(entry.id, exc.message)
            self._collect(entry.id, report.failed)
            report.last_error = exc.message
            return True
        except RateLimited as exc:
            self._retry_later(entry, exc, now, report)
            return False
        except ApiError as exc:  # ServerError and anything unforeseen from the server: try again later
            self._retry_later(entry, exc, now, report)
            return True
        except Exception as exc:
            # A bug must not leave the entry stuck in "sending" until the next start; log it and back off.
            log.exception("outbox entry %s: unexpected failure while sending", entry.id)
            self._retry_later(entry, ApiError(f"Sending failed unexpectedly ({type(exc).__name__})."), now, report)
            return True
        self.outbox.mark_sent(entry.id, decision)
        report.sent += 1
        return True

    def _retry_later(self, entry: OutboxEntry, exc: ApiError, now: datetime, report: SendReport) -> None:
        # entry.attempts is the count before this attempt, so the first retry waits up to base_delay.
        delay = self.backoff_delay(entry.attempts)
        if exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        log.info("outbox entry %s: %s; retry in %.1f s", entry.id, exc.code, delay)
        self.outbox.mark_retry(entry.id, exc.message, now + timedelta(seconds=delay))
        report.retrying += 1
        report.last_error = exc.message

    def _collect(self, entry_id: int, into: list[OutboxEntry]) -> None:
        entry = self.outbox.get(entry_id)
        if entry is not None:
            into.append(entry)
