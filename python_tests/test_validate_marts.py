"""The Great Expectations suites pass on the built warehouse and can fail:
a copy of the warehouse with one mart broken fails exactly the expectation
that guards against that break."""

from __future__ import annotations

import pathlib
import shutil

import duckdb
import pytest

from user_warehouse import demo_outputs
from user_warehouse import validate as validate_marts


@pytest.fixture(scope="module")
def warehouse(demo) -> pathlib.Path:
    return demo.db


def test_demo_outputs_in_the_docs_are_current_and_a_stale_copy_fails(warehouse, tmp_path) -> None:
    text = demo_outputs.render(warehouse)
    assert demo_outputs.is_current(demo_outputs.OUT, text), "run `make demo-docs` and commit docs/demo-outputs.md"
    stale = tmp_path / "demo-outputs.md"
    stale.write_text(text.replace("| Direct |", "| Direct (old) |"), encoding="utf-8")
    assert not demo_outputs.is_current(stale, text)


def test_every_suite_passes_on_the_demo_build(warehouse, tmp_path) -> None:
    summaries = validate_marts.validate(warehouse, tmp_path / "out")
    assert {s["suite"] for s in summaries} >= {"dim_users", "user_rfm", "metrics_daily", "user_tags"}
    assert [s for s in summaries if s["failed"]] == []
    assert (tmp_path / "out/validation_results.json").exists()
    assert (tmp_path / "out/data_docs/index.html").exists()


# each breakage is one that only a Great Expectations suite guards (dbt's own tests guard keys, values and ranges)
@pytest.mark.parametrize(
    ("mart", "breakage", "expected"),
    [
        (
            "dim_users",
            "delete from marts.dim_users where user_id = (select min(user_id) from marts.dim_users)",
            {("expect_table_row_count_to_equal", None)},
        ),
        (
            "user_rfm",
            "update marts.user_rfm set rfm_code = '9x9' where user_id = (select min(user_id) from marts.user_rfm)",
            {("expect_column_values_to_match_regex", "rfm_code")},
        ),
        (
            "user_rfm",
            "update marts.user_rfm set segment = 'hibernating'",
            {("expect_column_unique_value_count_to_be_between", "segment")},
        ),
        (
            "user_rfm",
            "update marts.user_rfm set user_id = 'ghost' where user_id = (select min(user_id) from marts.user_rfm)",
            {("expect_column_values_to_be_in_set", "user_in_dim_users")},
        ),
        (
            "rfm_layer_summary",
            "update marts.rfm_layer_summary set user_share = user_share / 2",
            {("expect_column_sum_to_be_between", "user_share")},
        ),
        (
            "metrics_daily",
            "update marts.metrics_daily set new_visitors = uv + 1"
            " where date_day = (select max(date_day) from marts.metrics_daily)",
            {("expect_column_pair_values_a_to_be_greater_than_b", None)},
        ),
    ],
)
def test_a_broken_mart_fails_exactly_the_guarding_expectation(warehouse, tmp_path, mart, breakage, expected) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(breakage)
    (summary,) = validate_marts.validate(broken, tmp_path / "out", only=[mart])
    failed = {(f["expectation"], f.get("column")) for f in summary["failed_expectations"]}
    assert failed == expected
