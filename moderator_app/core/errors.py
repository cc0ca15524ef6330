"""Error codes shared by server and client. The wire form is {"error": {"code", "message", "details"?}}."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_REQUEST = "invalid_request"  # 400/422: malformed JSON, missing fields, wrong types
    UNAUTHENTICATED = "unauthenticated"  # 401: no token, unknown token
    TOKEN_EXPIRED = "token_expired"  # 401
    BAD_CREDENTIALS = "bad_credentials"  # 401 on login
    FORBIDDEN = "forbidden"  # 403: the role does not allow it
    NOT_FOUND = "not_found"  # 404
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    ALREADY_DECIDED = "already_decided"  # 409: details.decision names the other decision
    CLAIM_NOT_HELD = "claim_not_held"  # 409: renewing a lease (item, QA sample, appeal) the caller does not hold
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # 422: same key, different request
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    RATE_LIMITED = "rate_limited"  # 429
    INTERNAL = "internal"  # 500: never a traceback
    OWN_DECISION_APPEAL = "own_decision_appeal"  # 403: an appeal goes to someone other than the original decider
    UNDO_EXPIRED = "undo_expired"  # 409: the undo window of a bulk operation has closed
    ALREADY_UNDONE = "already_undone"  # 409: the bulk operation was undone before
    CHANGED_SINCE = "changed_since"  # 409: undoing a queue settings or decision keys change replaced since
    ALREADY_RESOLVED = "already_resolved"  # 409: the QA sample, dispute or appeal is settled already
    # 409: a QA verdict needs the reviewer's own blind decision first; so does anything that would show them the
    # decision they review blind (its appeals, reverting it, deciding its item).
    REVIEW_FIRST = "review_first"
    DECISION_NOT_IN_FORCE = "decision_not_in_force"  # 409: the decision was reverted or only escalated
    APPEAL_EXISTS = "appeal_exists"  # 409: an open appeal against this decision exists; details.appeal_id
