"""Validate every mart of the built warehouse with Great Expectations suites.

Each mart is read into pandas (GE's SQL datasource returns no rows over
duckdb-engine: it closes the connection before fetching) and checked against its suite, kept as code in
``suites()`` below. Prints one row per suite, writes the results as JSON and
as GE Data Docs (HTML) under ``--out``, and exits non-zero on any failure.
No network, no telemetry, no cloud context.

    uw validate [--db warehouse/user_warehouse.duckdb] [--out reports/validation]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # before GE is imported: no telemetry

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from user_warehouse import project  # noqa: E402

SHARE_TOLERANCE = 1e-6


@dataclass
class Reference:
    """Figures from outside a mart that its expectations compare with."""

    staged_users: int
    months: int  # months of channel_summary with sessions
    # Rule lists, read from the reference seeds in the warehouse (they live once, in seeds/reference/).
    segments: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    lifecycle: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)
    tag_groups: list[str] = field(default_factory=list)
    funnel_steps: list[str] = field(default_factory=list)


# Reference field -> the seed column that lists its values.
RULE_LISTS = {
    "segments": "reference.rfm_segments.segment",
    "layers": "reference.rfm_layers.layer",
    "channels": "reference.channel_groups.channel_group",
    "lifecycle": "reference.lifecycle_statuses.lifecycle_status",
    "stages": "reference.journey_stages.stage",
    "tiers": "reference.membership_tiers.tier",
    "tag_groups": "reference.tag_groups.tag_group",
    "funnel_steps": "reference.funnel_steps.step",
}


# A flag column computed in SQL while reading, so that a subset check does
# not carry a million-value set inside the expectation.
USER_IN_DIM_USERS = {"user_in_dim_users": "user_id in (select user_id from marts.dim_users)"}


@dataclass
class Suite:
    mart: str
    columns: list[str] | None  # None: every column
    build: Callable[[Reference], list] = field(repr=False)
    derived: dict[str, str] = field(default_factory=dict)  # extra column name -> SQL expression


def suites() -> list[Suite]:
    """What dbt's tests cannot say about each mart: distributions, tie-outs between columns and marts, row-count
    bounds, rule lists per segment (all suites in one place). Keys, not-null, accepted values and ranges are dbt
    tests in the yml beside each model and are not restated here (docs/development.md#which-check-lives-where)."""
    import great_expectations.expectations as gxe

    def in_set(column: str, values: list) -> object:
        return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values)

    def at_least(column: str, low: float) -> object:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low)

    def sums_to_one(column: str) -> object:
        return gxe.ExpectColumnSumToBeBetween(
            column=column, min_value=1 - SHARE_TOLERANCE, max_value=1 + SHARE_TOLERANCE
        )

    def not_all_one_value(column: str) -> object:
        return gxe.ExpectColumnUniqueValueCountToBeBetween(column=column, min_value=2)

    def at_least_column(column_a: str, column_b: str) -> object:
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=column_a, column_B=column_b, or_equal=True)

    def metrics(ref: Reference) -> list:
        return [at_least_column("uv", "new_visitors"), at_least_column("orders", "buyers")]

    def summary(rule_list: str) -> object:
        return lambda ref: [
            sums_to_one("user_share"),
            sums_to_one("revenue_share"),
            gxe.ExpectTableRowCountToEqual(value=len(getattr(ref, rule_list))),
        ]

    return [
        Suite(
            "dim_users",
            None,
            lambda ref: [
                gxe.ExpectTableRowCountToEqual(value=ref.staged_users),
                in_set("rfm_segment", ref.segments),
                in_set("rfm_layer", ref.layers),
                at_least("predicted_value", 0),
                gxe.ExpectColumnValuesToMatchRegex(column="phone_masked", regex=r"^\*+[0-9]{0,4}$"),
                gxe.ExpectColumnValuesToNotMatchRegex(column="email_masked", regex=r"^[^*@]{2,}@"),
                not_all_one_value("lifecycle_status"),
            ],
        ),
        Suite(
            "user_rfm",
            None,
            lambda ref: [
                in_set("user_in_dim_users", [True]),
                gxe.ExpectColumnValuesToMatchRegex(column="rfm_code", regex=r"^[1-5]{3}$"),
                not_all_one_value("segment"),
                not_all_one_value("layer"),
            ],
            USER_IN_DIM_USERS,
        ),
        Suite("rfm_segment_summary", None, summary("segments")),
        Suite("rfm_layer_summary", None, summary("layers")),
        Suite(
            "rfm_layer_migration",
            None,
            lambda ref: [gxe.ExpectCompoundColumnsToBeUnique(column_list=["from_layer", "to_layer"])],
        ),
        Suite("metrics_daily", ["uv", "new_visitors", "orders", "buyers"], metrics),
        Suite("metrics_weekly", ["uv", "new_visitors", "orders", "buyers"], metrics),
        Suite("metrics_monthly", ["uv", "new_visitors", "orders", "buyers"], metrics),
        Suite(
            "channel_summary",
            ["session_share"],
            # shares of sessions sum to 1 in each month with sessions
            lambda ref: [
                gxe.ExpectColumnSumToBeBetween(
                    column="session_share", min_value=ref.months - 1e-6, max_value=ref.months + 1e-6
                )
            ],
        ),
        Suite(
            "funnel_daily",
            ["sessions", "sessions_reached"],
            lambda ref: [at_least_column("sessions", "sessions_reached")],
        ),
        Suite(
            "visit_distributions",
            ["distribution"],
            lambda ref: [in_set("distribution", ["visits_per_user", "hour_of_day", "revisit_interval_days"])],
        ),
        Suite("fct_events", ["event_sequence"], lambda ref: [at_least("event_sequence", 1)]),
        Suite(
            "fct_orders",
            ["status", "valid_order_number"],
            lambda ref: [
                in_set("status", ["paid", "completed", "cancelled", "refunded"]),
                at_least("valid_order_number", 1),
            ],
        ),
        Suite("user_tags", [], lambda ref: [in_set("user_in_dim_users", [True])], USER_IN_DIM_USERS),
        Suite("tag_summary", ["tag_id"], lambda ref: [gxe.ExpectTableRowCountToBeBetween(min_value=15)]),
        Suite(
            "user_membership",
            ["lifetime_points", "points_365d"],
            lambda ref: [at_least_column("lifetime_points", "points_365d")],
        ),
        Suite("audience_members", [], lambda ref: [in_set("user_in_dim_users", [True])], USER_IN_DIM_USERS),
        Suite(
            "event_retention_weekly",
            ["cohort_size", "retained_persons"],
            lambda ref: [at_least_column("cohort_size", "retained_persons")],
        ),
        Suite(
            "stickiness_daily",
            ["dau", "wau", "mau"],
            lambda ref: [at_least_column("wau", "dau"), at_least_column("mau", "wau")],
        ),
        Suite(
            "session_paths_top",
            ["session_share"],
            lambda ref: [gxe.ExpectColumnSumToBeBetween(column="session_share", min_value=0, max_value=1 + 1e-9)],
        ),
        Suite(
            "data_quality_staging",
            ["rejected_share"],
            lambda ref: [
                gxe.ExpectColumnValuesToBeBetween(column="rejected_share", min_value=0, max_value=1),
                gxe.ExpectTableRowCountToEqual(value=5),
            ],
        ),
        Suite("data_quality_rejects", ["rejected_rows"], lambda ref: [at_least("rejected_rows", 1)]),
    ]


def read_marts(db: pathlib.Path, wanted: list[Suite]) -> tuple[dict[str, pd.DataFrame], Reference]:
    with duckdb.connect(str(db), read_only=True) as con:
        frames = {}
        for suite in wanted:
            columns = [f'"{c}"' for c in suite.columns] if suite.columns is not None else ["*"]
            columns += [f"{sql} as {name}" for name, sql in suite.derived.items()]
            frames[suite.mart] = con.execute(f"select {', '.join(columns)} from marts.{suite.mart}").df()
        lists = {}
        for name, location in RULE_LISTS.items():
            schema, table, column = location.split(".")
            lists[name] = [
                v for (v,) in con.execute(f'select distinct "{column}" from {schema}."{table}" order by 1').fetchall()
            ]
        reference = Reference(
            staged_users=con.execute("select count(distinct user_id) from staging.stg_users").fetchone()[0],
            # shares sum to 1 in each month with sessions (orders-only data has none)
            months=con.execute(
                "select count(distinct month_start) from marts.channel_summary where sessions > 0"
            ).fetchone()[0],
            **lists,
        )
    return frames, reference


def validate(db: pathlib.Path, out: pathlib.Path, only: list[str] | None = None) -> list[dict]:
    """Run every suite (or those of ``only``); write JSON and Data Docs; return one summary per suite."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    wanted = [s for s in suites() if not only or s.mart in only]
    frames, reference = read_marts(db, wanted)
    out.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="marts",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str((out / "data_docs").resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = context.data_sources.add_pandas("marts")
    summaries, details = [], {}
    for suite in wanted:
        batch = source.add_dataframe_asset(name=suite.mart).add_batch_definition_whole_dataframe("whole")
        expectation_suite = context.suites.add(gx.ExpectationSuite(name=suite.mart))
        for expectation in suite.build(reference):
            expectation_suite.add_expectation(expectation)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.mart, data=batch, suite=expectation_suite)
        )
        result = definition.run(batch_parameters={"dataframe": frames[suite.mart]})
        failed = [
            {
                "expectation": r.expectation_config.type,
                **{k: v for k, v in r.expectation_config.kwargs.items() if k in ("column", "column_list", "column_A")},
            }
            for r in result.results
            if not r.success
        ]
        summaries.append(
            {
                "suite": suite.mart,
                "rows": len(frames[suite.mart]),
                "expectations": len(result.results),
                "passed": len(result.results) - len(failed),
                "failed": len(failed),
            }
        )
        details[suite.mart] = {"success": result.success, "failed": failed, "result": result.to_json_dict()}
    context.build_data_docs(site_names=["marts"])
    (out / "validation_results.json").write_text(json.dumps(details, indent=1, default=str))
    return [dict(s, failed_expectations=details[s["suite"]]["failed"]) for s in summaries]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw validate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=pathlib.Path, default=project.duckdb_path())
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("reports/validation"))
    parser.add_argument("--mart", action="append", help="validate only this mart (repeatable)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no warehouse at {args.db}: run `make build` first or pass --db")
    start = time.perf_counter()
    summaries = validate(args.db, args.out, args.mart)
    print(f"{'suite':<24}{'rows':>10}{'expectations':>14}{'passed':>8}{'failed':>8}")
    for s in summaries:
        print(f"{s['suite']:<24}{s['rows']:>10,}{s['expectations']:>14}{s['passed']:>8}{s['failed']:>8}")
        for f in s["failed_expectations"]:
            print(f"{'':<4}FAILED {f}")
    total = sum(s["expectations"] for s in summaries)
    failed = sum(s["failed"] for s in summaries)
    print(f"{total - failed} passed, {failed} failed")
    print(
        f"results: {args.out / 'validation_results.json'}; Data Docs: {args.out / 'data_docs' / 'index.html'}; "
        f"{time.perf_counter() - start:.1f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
