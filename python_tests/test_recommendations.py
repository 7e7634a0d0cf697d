"""Recommendations (docs/recommendations.md): the offline evaluation on the demo data, as a user runs it.

The models' rules (affinity, similarity, exclusions, ties, fallbacks, the because-product) are dbt unit tests on
hand-made histories beside the models; that no bought product is offered is a data test on every build.
"""

from __future__ import annotations

import re

from conftest import uw

# the demo's last quarter as the test period: the cutoff docs/recommendations.md reports
CUTOFF = "2024-03-31"


def _table(output: str) -> dict[str, dict[str, float]]:
    lines = [line for line in output.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0]] = dict(zip(header[1:], map(float, cells[1:]), strict=True))
    return rows


def test_the_warehouse_lists_beat_popularity_and_als_on_the_demo_split() -> None:
    result = uw(["evaluate-recommendations", "--cutoff", CUTOFF])
    table = _table(result.stdout)
    ours = table["warehouse (user_recommendations)"]
    popularity, als = table["recent popularity"], table["implicit ALS"]
    assert ours["persons"] == popularity["persons"] == als["persons"] > 20
    assert ours["hit_rate@10"] > popularity["hit_rate@10"], table
    assert ours["hit_rate@10"] >= als["hit_rate@10"], table
    assert ours["recall@10"] > popularity["recall@10"], table
    assert 0 < ours["coverage"] <= 1


def test_a_cutoff_that_is_not_a_date_is_refused_by_name() -> None:
    result = uw(["evaluate-recommendations", "--cutoff", "last tuesday"], check=False)
    assert result.returncode == 2
    assert re.search(r"--cutoff 'last tuesday' is not a date", result.stderr), result.stderr
