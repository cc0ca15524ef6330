"""Lead and QA workflow pieces: the queue most at risk, the lazy audit model's in-flight guard, the CSV writers."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from moderator_app.client.api import ApiClient
from moderator_app.client.team_api import AuditQuery, TeamApi
from moderator_app.core.models import AgreementGroupBy, AgreementReport, AgreementRow, QueueStats, TeamQueueStats
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.workflow.audit_model import AuditTableModel
from moderator_app.workflow.lead import most_at_risk
from moderator_app.workflow.qa import write_agreement_csv
from moderator_app.workflow.tasks import BackgroundRunner

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def _queue(
    queue_id: int, *, overdue: int = 0, at_risk: int = 0, pending: int = 5, deadline_in: float = 3600
) -> QueueStats:
    return QueueStats(
        queue_id=queue_id, key=f"q{queue_id}", name=f"Q{queue_id}", priority=0, sla_seconds=86400, pending=pending,
        claimed=0, overdue=overdue, at_risk=at_risk, oldest_flagged_at=NOW - timedelta(hours=1),
        oldest_deadline=NOW + timedelta(seconds=deadline_in), next_deadline=NOW + timedelta(seconds=deadline_in),
        inflow_last_hour=0, outflow_last_hour=0, series=[],
    )  # fmt: skip


def test_most_at_risk_orders_overdue_then_at_risk_then_time_left() -> None:
    """The rule itself (priority weighting, at risk counting half) is tested in tests/core/test_urgency.py."""

    def stats(*queues: QueueStats) -> TeamQueueStats:
        return TeamQueueStats(hours=12, bucket_seconds=3600, queues=list(queues))

    assert most_at_risk(stats(_queue(1, at_risk=1), _queue(2, overdue=1))).queue_id == 2
    assert most_at_risk(stats(_queue(1, at_risk=1), _queue(2, at_risk=3))).queue_id == 2
    assert most_at_risk(stats(_queue(1, deadline_in=600), _queue(2, deadline_in=60))).queue_id == 2
    assert most_at_risk(stats(_queue(1, overdue=4, pending=0), _queue(2))).queue_id == 2  # empty queues are skipped
    assert most_at_risk(stats()) is None and most_at_risk(None) is None


def test_agreement_csv_guards_cells_that_look_like_formulas(tmp_path: Path) -> None:
    row = AgreementRow(key="=cmd", label="=cmd", reviewed=4, agreed=3, percent_agreement=75.0, kappa=0.5,
                       disagreements=1, overturned=0)  # fmt: skip
    report = AgreementReport(group_by=AgreementGroupBy.MODERATOR, start=None, end=None, rows=[row], overall=row)
    path = write_agreement_csv(report, tmp_path / "a.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["group"] == "'=cmd" and rows[0]["percent_agreement"] == "75.0" and rows[0]["kappa"] == "0.500"


def test_audit_model_fetches_one_page_at_a_time(qtbot, qloop, seeded_server: EmbeddedServer) -> None:
    api = ApiClient(seeded_server.url)
    api.login("lena", "pw-lena")
    for _ in range(5):
        ApiClient(seeded_server.url).login("bob", "pw-bob")
    runner = BackgroundRunner()
    try:
        model = AuditTableModel(TeamApi(api), runner, page_size=2)
        model.set_query(AuditQuery(actor="bob", action="login"))
        model.fetchMore()  # in flight already: ignored
        qtbot.waitUntil(lambda: model.rowCount() == 2 and not model.loading, timeout=10_000)
        assert model.pages_fetched == 1 and model.canFetchMore()
        while model.canFetchMore():
            model.fetchMore()
            qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
        assert model.rowCount() == 5 and model.pages_fetched == 3
        assert model.data(model.index(0, 1)) == "bob" and model.data(model.index(0, 2)) == "login"
        # New filters start over; the old pages are dropped.
        model.set_query(AuditQuery(actor="nobody"))
        qtbot.waitUntil(lambda: model.exhausted and not model.loading, timeout=10_000)
        assert model.rowCount() == 0
    finally:
        runner.shutdown(wait=True)
