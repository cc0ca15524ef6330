"""The demo's QA and appeal rows (moderator_app/server/demo/qa.py) on the small demo dataset."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.server.demo import create_demo_users
from moderator_app.server.demo.qa import seed_demo_qa
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.tables import AppealRow, QaSampleRow
from tests.server.conftest import Api


def test_the_demo_has_reviews_agreement_figures_and_an_appeal(api: Api) -> None:
    create_demo_users(api.engine, kdf=TEST_SCRYPT)
    summary = seed_demo_qa(api.engine, now=api.clock())
    assert summary.appeals == 1 and summary.samples >= 1 and summary.reviewed == summary.samples
    assert seed_demo_qa(api.engine).samples == 0  # a second call adds nothing
    with Session(api.engine) as session:
        assert session.scalar(select(func.count()).select_from(QaSampleRow)) == summary.samples
        appeal = session.scalars(select(AppealRow)).one()
        sampled = set(session.scalars(select(QaSampleRow.decision_id)))
    assert appeal.decision_id not in sampled

    agreement = api.get("/qa/agreement", as_="quinn").json()
    assert agreement["overall"]["reviewed"] == summary.reviewed
    assert {row["key"] for row in agreement["rows"]} <= {"demo-archive-a", "demo-archive-b"}
    (listed,) = api.get("/appeals", as_="bob").json()
    assert listed["id"] == appeal.id and listed["filed_by"] == "demo-admin"
    claimed = api.post(f"/appeals/{appeal.id}/claim", as_="bob")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["item"]["decision"]["id"] == appeal.decision_id
