"""Agreement figures: Cohen's kappa checked against a worked example computed by hand, then through the API."""

from __future__ import annotations

import csv
import io

import pytest

from moderator_app.server.services.agreement import cohens_kappa, observed_agreement
from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue, set_sampling

# The worked example: ten decisions by a moderator, each reviewed blind by QA. R = remove_post, N = no_violation,
# B = ban_channel. Contingency table (rows: moderator, columns: QA reviewer):
#
#                 QA: R    N    B  | moderator total
#   moderator R       4    1    0  |  5
#   moderator N       1    2    0  |  3
#   moderator B       0    0    2  |  2
#   QA total          5    3    2  | 10
#
# Observed agreement p_o = (4 + 2 + 2) / 10 = 0.8
# Chance agreement  p_e = (5*5 + 3*3 + 2*2) / 10^2 = (25 + 9 + 4) / 100 = 0.38
# kappa = (p_o - p_e) / (1 - p_e) = (0.8 - 0.38) / 0.62 = 0.42 / 0.62 = 21/31 = 0.677419...
WORKED_PAIRS: list[tuple[str, str]] = (
    [("R", "R")] * 4 + [("R", "N")] + [("N", "R")] + [("N", "N")] * 2 + [("B", "B")] * 2
)
WORKED_KAPPA = 21 / 31

ACTIONS = {"R": ("remove_post", "spam"), "N": ("no_violation", None), "B": ("ban_channel", "spam")}


def test_kappa_of_the_worked_example() -> None:
    assert observed_agreement(WORKED_PAIRS) == pytest.approx(0.8)
    kappa = cohens_kappa(WORKED_PAIRS)
    assert kappa == pytest.approx(WORKED_KAPPA)
    assert round(kappa or 0, 4) == 0.6774


def test_kappa_edge_cases() -> None:
    assert cohens_kappa([]) is None and observed_agreement([]) is None
    assert cohens_kappa([("R", "R"), ("N", "N")]) == pytest.approx(1.0)
    # Both raters always said R: p_e = 1, chance explains it all, kappa is undefined.
    assert cohens_kappa([("R", "R")] * 5) is None
    # Always opposite: p_o = 0, p_e = (1*1 + 1*1) / 4 = 0.5, kappa = -0.5 / 0.5 = -1.
    assert cohens_kappa([("R", "N"), ("N", "R")]) == pytest.approx(-1.0)
    # One rater constant: p_o = 0.5, p_e = (2*1 + 0*1) / 4 = 0.5, kappa = 0.
    assert cohens_kappa([("R", "R"), ("R", "N")]) == pytest.approx(0.0)


def _review_worked_example(api: Api) -> tuple[int, list[int]]:
    queue_id, ids = fresh_queue(api, "agreement", len(WORKED_PAIRS))
    set_sampling(api, 0.0, [{"queue_id": queue_id, "rate": 1.0}])
    claim(api, "alice", queue_id, len(ids))
    planned = dict(zip(ids, WORKED_PAIRS, strict=True))
    for item_id, (moderator, _qa) in planned.items():
        action, reason = ACTIONS[moderator]
        decide(api, "alice", item_id, action=action, reason=reason)
    batch = api.post("/qa/claims", as_="quinn", json={"count": 10}).json()["samples"]
    assert sorted(s["item"]["id"] for s in batch) == ids
    for sample in batch:
        action, reason = ACTIONS[planned[sample["item"]["id"]][1]]
        outcome = api.post(
            f"/qa/samples/{sample['sample_id']}/review", as_="quinn", json={"action": action, "reason": reason}
        ).json()
        verdict = {"agree": outcome["same_action"], "reason": "" if outcome["same_action"] else "different call"}
        assert api.post(f"/qa/samples/{sample['sample_id']}/verdict", as_="quinn", json=verdict).status_code == 200
    return queue_id, ids


def test_agreement_figures_through_the_api(api: Api) -> None:
    _review_worked_example(api)
    report = api.get("/qa/agreement", as_="lena", params={"group_by": "moderator"})
    assert report.status_code == 200, report.text
    rows = {row["key"]: row for row in report.json()["rows"]}
    assert rows["alice"] == {
        "key": "alice",
        "label": "Alice",
        "reviewed": 10,
        "agreed": 8,
        "percent_agreement": 80.0,
        "kappa": 0.6774,
        "disagreements": 2,
        "overturned": 0,
        "scope_differences": 0,
    }
    by_queue = api.get("/qa/agreement", as_="quinn", params={"group_by": "queue"}).json()
    assert [(r["key"], r["reviewed"], r["kappa"]) for r in by_queue["rows"]] == [("agreement", 10, 0.6774)]
    by_reason = {r["key"]: r for r in api.get("/qa/agreement", as_="ada", params={"group_by": "reason"}).json()["rows"]}
    assert (by_reason["spam"]["reviewed"], by_reason["none"]["reviewed"]) == (7, 3)
    assert by_reason["none"]["label"] == "No reason"


def test_agreement_as_csv_and_within_a_date_range(api: Api) -> None:
    _review_worked_example(api)
    for kwargs in ({"headers": {"Accept": "text/csv"}}, {"params": {"format": "csv"}}):
        answer = api.get("/qa/agreement", as_="lena", **kwargs)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(answer.text)))
        assert [row["key"] for row in table] == ["alice", "all"]
        assert (table[0]["reviewed"], table[0]["percent_agreement"], table[0]["kappa"]) == ("10", "80.0", "0.6774")
    before = (api.clock()).isoformat()
    empty = api.get("/qa/agreement", as_="lena", params={"to": before.replace("+00:00", "")}).json()
    assert empty["rows"] == [] and empty["overall"]["reviewed"] == 0 and empty["overall"]["kappa"] is None
    after = api.get("/qa/agreement", as_="lena", params={"from": before}).json()
    assert after["overall"]["reviewed"] == 10
