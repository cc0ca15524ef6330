"""The typed lead/QA/appeals/audit calls against the real server on a temporary database."""

from __future__ import annotations

import uuid

import pytest

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import Conflict, Forbidden, InvalidRequest
from moderator_app.client.team_api import AuditQuery, TeamApi
from moderator_app.core.models import (
    AgreementGroupBy,
    AppealDecisionRequest,
    AppealOutcome,
    AppealRequest,
    DecisionRequest,
    DisputeOutcome,
    DisputeResolution,
    QaReviewRequest,
    QaVerdictRequest,
    QueueUpdate,
    ReassignFilter,
    ReassignRequest,
    ReassignTarget,
    ReleaseStaleRequest,
    ReportSource,
    SamplingConfig,
    TeamItemQuery,
)
from moderator_app.core.policy import Action
from moderator_app.server.embedded import EmbeddedServer


def team(server: EmbeddedServer, user: str) -> TeamApi:
    api = ApiClient(server.url)
    api.login(user, f"pw-{user}")
    return TeamApi(api)


def test_queue_stats_poll_with_etags_and_moderators(seeded_server: EmbeddedServer) -> None:
    lena = team(seeded_server, "lena")
    first = lena.queue_stats(hours=6, bucket_minutes=30)
    assert first.value is not None and first.etag
    assert first.value.hours == 6 and first.value.queues
    assert all(len(q.series) >= 12 for q in first.value.queues)
    again = lena.queue_stats(first.etag, hours=6, bucket_minutes=30)
    assert again.unchanged and again.etag == first.etag  # 304: keep the view
    assert {m.username for m in lena.moderators()} >= {"alice", "bob"}
    moderators = lena.moderators_polled()
    assert moderators.value is not None and {m.username for m in moderators.value} >= {"alice", "bob"}
    assert lena.moderators_polled(moderators.etag).unchanged


def test_release_stale_preview_and_undoable_queue_settings(seeded_server: EmbeddedServer) -> None:
    lena = team(seeded_server, "lena")
    queue = max(lena.api.queues(), key=lambda q: q.pending)
    claimed = team(seeded_server, "bob").api.claim(queue.id, count=2).items
    preview = lena.release_stale_preview(ReleaseStaleRequest(older_than_seconds=0, queue_id=queue.id))
    assert sorted(preview.item_ids) == sorted(entry.item.id for entry in claimed) and preview.holders == {"bob": 2}
    changed = lena.change_queue_settings(queue.id, QueueUpdate(sla_seconds=queue.sla_seconds * 2))
    assert (
        changed.queue.sla_seconds == queue.sla_seconds * 2
        and changed.items_rescheduled == queue.pending + queue.claimed
    )
    undone = lena.undo_reassign(changed.operation_id)
    assert (
        len(undone.restored_ids) == changed.items_rescheduled
        and lena.api.queue(queue.id).sla_seconds == queue.sla_seconds
    )


def test_a_moderator_is_refused_the_team_endpoints_with_a_message(seeded_server: EmbeddedServer) -> None:
    alice = team(seeded_server, "alice")
    with pytest.raises(Forbidden) as refused:
        alice.moderators()
    assert refused.value.status == 403 and str(refused.value)
    with pytest.raises(Forbidden):
        alice.audit_page(AuditQuery())


def test_team_items_list_what_a_move_with_the_same_filter_would_take(seeded_server: EmbeddedServer) -> None:
    lena = team(seeded_server, "lena")
    for fields in ({}, {"at_risk": True}, {"at_risk": False, "order": "oldest_first"},
                   {"report_source": ReportSource.USER, "status": "pending"}):  # fmt: skip
        page = lena.team_items(TeamItemQuery.model_validate({**fields, "limit": 30}))
        same = ReassignFilter.model_validate({"order": "deadline_first", **fields, "limit": 30})  # the list's default
        move = ReassignRequest(filter=same, target=ReassignTarget(release_claims=True))
        assert page.items and [item.id for item in page.items] == lena.reassign_preview(move).item_ids, fields
    assert lena.team_items(TeamItemQuery(limit=1)).more
    with pytest.raises(InvalidRequest) as bad:
        lena.team_items(TeamItemQuery(claimed_by="nobody"))
    assert "nobody" in str(bad.value)
    with pytest.raises(Forbidden):
        team(seeded_server, "alice").team_items(TeamItemQuery())


def test_reassign_preview_execute_undo_and_queue_settings(seeded_server: EmbeddedServer) -> None:
    lena = team(seeded_server, "lena")
    queue = max(lena.api.queues(), key=lambda q: q.pending)
    request = ReassignRequest(
        filter=ReassignFilter(queue_id=queue.id, limit=3), target=ReassignTarget(assign_to="bob"), note="night shift"
    )
    preview = lena.reassign_preview(request)
    assert preview.count == 3
    done = lena.reassign(request)
    assert sorted(done.item_ids) == sorted(preview.item_ids)
    assert all(lena.api.item(i).assigned_to == "bob" for i in done.item_ids)
    undone = lena.undo_reassign(done.operation_id)
    assert sorted(undone.restored_ids) == sorted(done.item_ids)
    with pytest.raises(Conflict):
        lena.undo_reassign(done.operation_id)
    changed = lena.update_queue(queue.id, QueueUpdate(priority=queue.priority + 1))
    assert changed.priority == queue.priority + 1 and changed.sla_seconds == queue.sla_seconds
    with pytest.raises(InvalidRequest):
        lena.api._model(type(changed), "PATCH", f"/queues/{queue.id}", json={})


def test_blind_review_dispute_agreement_and_appeal(seeded_server: EmbeddedServer) -> None:
    lena, quinn, ada = team(seeded_server, "lena"), team(seeded_server, "quinn"), team(seeded_server, "ada")
    assert lena.set_sampling(SamplingConfig(default_rate=1.0)).default_rate == 1.0
    alice = team(seeded_server, "alice").api
    queue = max(alice.queues(), key=lambda q: q.pending)
    item = alice.claim(queue.id).items[0].item
    decision = alice.decide(item.id, DecisionRequest(action=Action.NO_VIOLATION), uuid.uuid4().hex)

    batch = quinn.qa_claim()
    assert [s.item.id for s in batch.samples] == [item.id]
    assert batch.samples[0].item.decision is None  # blind
    outcome = quinn.qa_review(
        batch.samples[0].sample_id, QaReviewRequest(action=Action.BAN_CHANNEL, reason=queue.default_reason)
    )
    assert outcome.original.id == decision.id and not outcome.agree
    sample = quinn.qa_verdict(outcome.sample_id, QaVerdictRequest(agree=False, reason="sells counterfeits"))
    assert sample.dispute_id is not None
    report = quinn.agreement(AgreementGroupBy.MODERATOR)
    assert [(r.key, r.reviewed, r.agreed) for r in report.rows] == [("alice", 1, 0)]
    server_csv = quinn.agreement_csv(AgreementGroupBy.MODERATOR).splitlines()
    assert len(server_csv) == 3 and ",alice," in server_csv[1]  # header, alice, overall
    [dispute] = lena.disputes()
    resolved = lena.resolve_dispute(dispute.id, DisputeResolution(outcome=DisputeOutcome.UPHOLD, note="stands"))
    assert resolved.outcome is DisputeOutcome.UPHOLD and lena.disputes() == []

    appeal = ada.file_appeal(AppealRequest(decision_id=decision.id, statement="please", contact_ref="t-1"))
    assert [a.id for a in lena.appeals()] == [appeal.id]
    with pytest.raises(Forbidden):
        team(seeded_server, "alice").claim_appeal(appeal.id)
    bob = team(seeded_server, "bob")
    assert bob.claim_appeal(appeal.id).appeal.claimed_by == "bob"
    decided = bob.decide_appeal(appeal.id, AppealDecisionRequest(outcome=AppealOutcome.UPHOLD, note="fine"))
    assert decided.outcome is AppealOutcome.UPHOLD and bob.appeal(appeal.id).decided_by == "bob"


def test_audit_pages_with_filters_and_cursor(seeded_server: EmbeddedServer) -> None:
    lena = team(seeded_server, "lena")
    for _ in range(3):
        team(seeded_server, "bob")  # each sign-in is audited
    first = lena.audit_page(AuditQuery(actor="bob", action="login"), limit=2)
    assert len(first.entries) == 2 and first.next_cursor
    rest = lena.audit_page(AuditQuery(actor="bob", action="login"), cursor=first.next_cursor, limit=2)
    ids = [e.id for e in first.entries + rest.entries]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
