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
    """The expectations a careful analyst writes for each mart (all suites in one place)."""
    import great_expectations.expectations as gxe

    def unique(*columns: str) -> list:
        out = [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in columns]
        if len(columns) == 1:
            return out + [gxe.ExpectColumnValuesToBeUnique(column=columns[0])]
        return out + [gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns))]

    def in_set(column: str, values: list, mostly: float = 1.0) -> object:
        return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values, mostly=mostly)

    def between(column: str, low: float | None = None, high: float | None = None) -> object:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)

    def rates(*columns: str) -> list:
        return [between(c, 0, 1) for c in columns]

    def sums_to_one(column: str) -> object:
        return gxe.ExpectColumnSumToBeBetween(
            column=column, min_value=1 - SHARE_TOLERANCE, max_value=1 + SHARE_TOLERANCE
        )

    def not_all_one_value(column: str) -> object:
        return gxe.ExpectColumnUniqueValueCountToBeBetween(column=column, min_value=2)

    def metrics(period: str) -> Callable[[Reference], list]:
        return lambda ref: [
            *unique(period),
            *[
                between(c, 0)
                for c in (
                    "pv",
                    "uv",
                    "new_visitors",
                    "returning_visitors",
                    "sessions",
                    "buyers",
                    "orders",
                    "revenue",
                    "aov",
                    "arppu",
                    "avg_session_duration_seconds",
                )
            ],
            *rates("bounce_rate"),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="uv", column_B="new_visitors", or_equal=True),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="orders", column_B="buyers", or_equal=True),
        ]

    def summary(kind: str, rule_list: str) -> Callable[[Reference], list]:
        return lambda ref: [
            *unique(kind),
            in_set(kind, getattr(ref, rule_list)),
            between("users", 0),
            *rates("user_share", "revenue_share"),
            sums_to_one("user_share"),
            sums_to_one("revenue_share"),
            gxe.ExpectTableRowCountToEqual(value=len(getattr(ref, rule_list))),
        ]

    return [
        Suite(
            "dim_users",
            None,
            lambda ref: [
                *unique("user_id"),
                gxe.ExpectTableRowCountToEqual(value=ref.staged_users),
                in_set("gender", ["male", "female", "unknown"]),
                between("age", 0, 120),
                in_set("lifecycle_status", ref.lifecycle),
                in_set("rfm_segment", ref.segments),
                in_set("rfm_layer", ref.layers),
                in_set("journey_stage", ref.stages),
                in_set("churn_risk", ["high", "medium", "low"]),
                in_set("membership_tier", ref.tiers),
                in_set("first_touch_channel", ref.channels),
                *rates("refund_rate", "discount_share", "p_alive"),
                between("valid_orders", 0),
                between("revenue", 0),
                between("active_days_30d", 0, 30),
                between("predicted_value", 0),
                gxe.ExpectColumnValuesToMatchRegex(column="phone_masked", regex=r"^\*+[0-9]{0,4}$"),
                gxe.ExpectColumnValuesToNotMatchRegex(column="email_masked", regex=r"^[^*@]{2,}@"),
                not_all_one_value("lifecycle_status"),
            ],
        ),
        Suite(
            "user_rfm",
            None,
            lambda ref: [
                *unique("user_id"),
                in_set("user_in_dim_users", [True]),
                *[between(c, 1, 5) for c in ("r_score", "f_score", "m_score")],
                between("recency_days", 0),
                between("frequency", 1),
                between("monetary", 0),
                in_set("segment", ref.segments),
                in_set("layer", ref.layers),
                gxe.ExpectColumnValuesToMatchRegex(column="rfm_code", regex=r"^[1-5]{3}$"),
                not_all_one_value("segment"),
                not_all_one_value("layer"),
            ],
            USER_IN_DIM_USERS,
        ),
        Suite("rfm_segment_summary", None, summary("segment", "segments")),
        Suite("rfm_layer_summary", None, summary("layer", "layers")),
        Suite(
            "rfm_layer_migration",
            None,
            lambda ref: [
                *unique("from_layer", "to_layer"),
                in_set("from_layer", ref.layers + ["none"]),
                in_set("to_layer", ref.layers + ["none"]),
                between("users", 1),
            ],
        ),
        Suite("metrics_daily", None, metrics("date_day")),
        Suite("metrics_weekly", None, metrics("week_start")),
        Suite("metrics_monthly", None, metrics("month_start")),
        Suite(
            "channel_summary",
            None,
            lambda ref: [
                *unique("month_start", "channel_group"),
                in_set("channel_group", ref.channels),
                *rates("session_share", "uv_share", "revenue_share"),
                gxe.ExpectColumnSumToBeBetween(
                    column="session_share", min_value=ref.months - 1e-6, max_value=ref.months + 1e-6
                ),
                between("sessions", 0),
                between("revenue", 0),
            ],
        ),
        Suite(
            "funnel_daily",
            None,
            lambda ref: [
                *unique("date_day", "channel_group", "step_order"),
                in_set("channel_group", ref.channels),
                in_set("step", ref.funnel_steps),
                *rates("step_conversion", "overall_conversion"),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="sessions", column_B="sessions_reached", or_equal=True
                ),
            ],
        ),
        Suite(
            "visit_distributions",
            None,
            lambda ref: [
                *unique("distribution", "bucket_order"),
                in_set("distribution", ["visits_per_user", "hour_of_day", "revisit_interval_days"]),
                *rates("share_of_total"),
                between("measured_count", 0),
            ],
        ),
        Suite(
            "search_terms_top",
            None,
            lambda ref: [*unique("search_rank"), *unique("search_term"), between("searches", 1)],
        ),
        Suite(
            "repurchase_monthly",
            None,
            lambda ref: [*unique("month_start"), *rates("repurchase_rate", "pareto_share"), between("buyers", 0)],
        ),
        Suite(
            "fct_sessions",
            ["session_id", "duration_seconds", "event_count", "channel_group", "session_hour"],
            lambda ref: [
                *unique("session_id"),
                between("duration_seconds", 0),
                between("event_count", 1),
                in_set("channel_group", ref.channels),
                between("session_hour", 0, 23),
            ],
        ),
        Suite(
            "fct_events",
            ["event_id", "session_id", "person_id", "event_sequence"],
            lambda ref: [
                *unique("event_id"),
                gxe.ExpectColumnValuesToNotBeNull(column="session_id"),
                gxe.ExpectColumnValuesToNotBeNull(column="person_id"),
                between("event_sequence", 1),
            ],
        ),
        Suite(
            "fct_orders",
            None,
            lambda ref: [
                *unique("order_id"),
                in_set("status", ["paid", "completed", "cancelled", "refunded"]),
                between("amount", 0),
                between("discount_amount", 0),
                between("valid_order_number", 1),
            ],
        ),
        Suite(
            "user_tags",
            None,
            lambda ref: [
                *unique("user_tag_id"),
                *unique("user_id", "tag_id"),
                in_set("tag_group", ref.tag_groups),
                in_set("user_in_dim_users", [True]),
            ],
            USER_IN_DIM_USERS,
        ),
        Suite(
            "tag_summary",
            None,
            lambda ref: [*unique("tag_id"), *rates("share_of_users"), gxe.ExpectTableRowCountToBeBetween(min_value=15)],
        ),
        Suite("user_tag_changes", None, lambda ref: [*unique("tag_change_id"), in_set("change", ["gained", "lost"])]),
        Suite(
            "user_membership",
            None,
            lambda ref: [
                *unique("user_id"),
                in_set("tier", ref.tiers),
                between("points_365d", 0),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="lifetime_points", column_B="points_365d", or_equal=True
                ),
            ],
        ),
        Suite(
            "user_journey",
            None,
            lambda ref: [
                *unique("user_id"),
                in_set("furthest_stage", ref.stages),
                between("furthest_stage_order", 1, 8),
            ],
        ),
        Suite(
            "journey_funnel",
            None,
            lambda ref: [
                *unique("funnel_row_id"),
                in_set("stage", ref.stages),
                *rates("overall_conversion"),
                *rates("step_conversion"),
            ],
        ),
        Suite(
            "user_lifecycle",
            None,
            lambda ref: [
                *unique("user_id"),
                in_set("lifecycle_status", ref.lifecycle),
                between("days_since_last_activity", 0),
            ],
        ),
        Suite(
            "lifecycle_monthly",
            None,
            lambda ref: [*unique("status_row_id"), in_set("lifecycle_status", ref.lifecycle), *rates("user_share")],
        ),
        Suite(
            "cohort_retention",
            None,
            lambda ref: [*unique("cohort_month", "month_offset"), *rates("retention_rate"), between("month_offset", 0)],
        ),
        Suite(
            "attribution_credit",
            ["attribution_credit_id", "order_id", "attribution_model", "credit"],
            lambda ref: [
                *unique("attribution_credit_id"),
                between("credit", 0, 1),
                gxe.ExpectColumnValuesToNotBeNull(column="attribution_model"),
            ],
        ),
        Suite(
            "attribution_channel_monthly",
            None,
            lambda ref: [
                *unique("month_start", "channel_group", "attribution_model"),
                *rates("revenue_share"),
                between("credited_orders", 0),
            ],
        ),
        Suite(
            "audience_members",
            None,
            lambda ref: [
                *unique("audience_member_id"),
                *unique("audience_id", "user_id"),
                in_set("user_in_dim_users", [True]),
            ],
            USER_IN_DIM_USERS,
        ),
        Suite(
            "audience_sizes",
            None,
            lambda ref: [*unique("audience_id"), between("members", 0), *rates("share_of_users")],
        ),
        Suite(
            "cohort_retention_weekly",
            None,
            lambda ref: [*unique("cohort_week", "week_offset"), *rates("retention_rate"), between("week_offset", 0)],
        ),
        Suite(
            "event_retention_weekly",
            None,
            lambda ref: [
                *unique("cohort_week", "week_offset"),
                *rates("retention_rate"),
                between("cohort_size", 1),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="cohort_size", column_B="retained_persons", or_equal=True
                ),
            ],
        ),
        Suite(
            "stickiness_daily",
            None,
            lambda ref: [
                *unique("date_day"),
                *rates("stickiness"),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="wau", column_B="dau", or_equal=True),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="mau", column_B="wau", or_equal=True),
            ],
        ),
        Suite(
            "session_paths_top",
            None,
            lambda ref: [
                *unique("path_rank"),
                *unique("path"),
                *rates("session_share", "conversion_rate"),
                between("sessions", 1),
                gxe.ExpectColumnSumToBeBetween(column="session_share", min_value=0, max_value=1 + 1e-9),
            ],
        ),
        Suite(
            "user_churn_warning",
            None,
            lambda ref: [
                *unique("user_id"),
                in_set("risk_level", ["high", "medium", "low"]),
                between("signal_count", 0, 4),
            ],
        ),
        Suite(
            "data_quality_staging",
            None,
            lambda ref: [*unique("relation"), *rates("rejected_share"), gxe.ExpectTableRowCountToEqual(value=5)],
        ),
        Suite("data_quality_rejects", None, lambda ref: [*unique("relation_reason"), between("rejected_rows", 1)]),
        # a shared device has, by definition, more users than one
        Suite("data_quality_shared_devices", None, lambda ref: [*unique("anonymous_id"), between("distinct_users", 2)]),
    ]


def read_marts(db: pathlib.Path, wanted: list[Suite]) -> tuple[dict[str, pd.DataFrame], Reference]:
    with duckdb.connect(str(db), read_only=True) as con:
        frames = {}
        for suite in wanted:
            columns = [f'"{c}"' for c in suite.columns] if suite.columns else ["*"]
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
