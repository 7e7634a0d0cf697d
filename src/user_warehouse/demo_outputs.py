"""Demo outputs for the docs: run the queries below against a warehouse built
from the demo seeds and write docs/demo-outputs.md, so what the docs show is
what the project computes. `--check` rewrites nothing and fails when the file
is stale (make test runs it after the build)."""

from __future__ import annotations

import argparse
import pathlib
import sys

import duckdb

from user_warehouse import project

ROOT = project.root()
OUT = ROOT / "docs" / "demo-outputs.md"

# (title, what it shows, query): each query reads marts only, ordered fully, so the output is deterministic.
QUERIES = [
    (
        "Daily operating metrics",
        "The last five days of `metrics_daily`.",
        "select date_day, pv, uv, new_visitors, sessions, round(bounce_rate, 3) as bounce_rate, buyers, orders, "
        "revenue, round(aov, 2) as aov, round(conversion_rate, 4) as conversion_rate "
        "from marts.metrics_daily order by date_day desc limit 5",
    ),
    (
        "Channels",
        "`channel_summary` for the last month.",
        "select channel_group, sessions, round(session_share, 3) as session_share, uv, buyers, "
        "round(conversion_rate, 4) as conversion_rate, revenue, round(revenue_share, 3) as revenue_share "
        "from marts.channel_summary where month_start = (select max(month_start) from marts.channel_summary) "
        "order by sessions desc, channel_group",
    ),
    (
        "Session funnel",
        "`funnel_daily` summed over every day and channel.",
        "select step_order, step, step_zh, sum(sessions_reached) as sessions_reached, "
        "round(sum(sessions_reached) / nullif(lag(sum(sessions_reached)) over (order by step_order), 0), 3) "
        "as step_conversion from marts.funnel_daily group by step_order, step, step_zh order by step_order",
    ),
    (
        "Where every raw row went",
        "`data_quality_staging`.",
        "select relation, raw_rows, staged_rows, rejected_rows, duplicates_removed, "
        "round(rejected_share, 4) as rejected_share from marts.data_quality_staging order by relation",
    ),
    (
        "Reject reasons",
        "`data_quality_rejects`, the five most frequent.",
        "select relation, reject_reason, rejected_rows from marts.data_quality_rejects "
        "order by rejected_rows desc, relation, reject_reason limit 5",
    ),
    (
        "One profile",
        "A few of `dim_users`' columns for the user with the most valid orders.",
        "select user_id, email_masked, phone_masked, gender, age_band, city, first_touch_channel, active_days_30d, "
        "preferred_device, valid_orders, revenue, avg_days_between_orders, membership_tier, rfm_layer, "
        "lifecycle_status, journey_stage, churn_risk, tags from marts.dim_users "
        "order by valid_orders desc, revenue desc, user_id limit 1",
    ),
    (
        "Tags",
        "`tag_summary`.",
        "select tag_group, tag_id, tag_name_zh, users, round(share_of_users, 3) as share_of_users "
        "from marts.tag_summary order by tag_group, tag_id",
    ),
    (
        "RFM layers",
        "`rfm_layer_summary`.",
        "select layer, layer_zh, users, round(user_share, 3) as user_share, revenue, "
        "round(revenue_share, 3) as revenue_share from marts.rfm_layer_summary order by users desc, layer",
    ),
    (
        "Journey funnel",
        "`journey_funnel`, overall: persons in order and in any order.",
        "select stage, stage_zh, persons_in_order, persons_any_order, round(step_conversion, 3) as step_conversion, "
        "round(overall_conversion, 3) as overall_conversion from marts.journey_funnel "
        "where dimension = 'overall' order by stage_order",
    ),
    (
        "Lifecycle",
        "`user_lifecycle` on as_of_date.",
        "select lifecycle_status, count(*) as users from marts.user_lifecycle group by lifecycle_status "
        "order by users desc, lifecycle_status",
    ),
    (
        "Churn warning",
        "`user_churn_warning` by risk level.",
        "select risk_level, count(*) as users from marts.user_churn_warning group by risk_level order by risk_level",
    ),
    (
        "Attribution",
        "`attribution_channel_monthly` for the last month: revenue share per channel and model.",
        "select channel_group, "
        "round(sum(case when attribution_model = 'first_touch' then revenue_share end), 3) as first_touch, "
        "round(sum(case when attribution_model = 'last_touch' then revenue_share end), 3) as last_touch, "
        "round(sum(case when attribution_model = 'last_non_direct' then revenue_share end), 3) as last_non_direct, "
        "round(sum(case when attribution_model = 'linear' then revenue_share end), 3) as linear, "
        "round(sum(case when attribution_model = 'position_based' then revenue_share end), 3) as position_based, "
        "round(sum(case when attribution_model = 'time_decay' then revenue_share end), 3) as time_decay "
        "from marts.attribution_channel_monthly "
        "where month_start = (select max(month_start) from marts.attribution_channel_monthly) "
        "group by channel_group order by channel_group",
    ),
    (
        "Audiences",
        "`audience_sizes`.",
        "select audience_id, audience_name_zh, purpose, rule, members, round(share_of_users, 4) as share_of_users "
        "from marts.audience_sizes order by audience_id",
    ),
    (
        "Predicted value",
        "`clv_parameters`: the fitted BG/NBD and Gamma-Gamma parameters.",
        "select round(bgnbd_r, 4) as r, round(bgnbd_alpha, 4) as alpha, round(bgnbd_a, 4) as a,"
        " round(bgnbd_b, 4) as b, "
        "round(bgnbd_log_likelihood, 2) as bgnbd_ll, buyers, round(gamma_gamma_p, 4) as p, "
        "round(gamma_gamma_gamma / gamma_gamma_q, 2) as gamma_over_q, repeat_buyers from marts.clv_parameters",
    ),
    (
        "Active users and stickiness",
        "The last five days of `stickiness_daily`.",
        "select date_day, dau, wau, mau, round(stickiness, 4) as stickiness from marts.stickiness_daily "
        "order by date_day desc limit 5",
    ),
    (
        "Top session paths",
        "The five most common paths of `session_paths_top`.",
        "select path_rank, path, sessions, round(session_share, 3) as session_share, persons, "
        "round(conversion_rate, 3) as conversion_rate from marts.session_paths_top order by path_rank limit 5",
    ),
]


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|")


def render(db: pathlib.Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        as_of = con.execute("select max(as_of_date) from marts.dim_users").fetchone()[0]
        parts = [
            "# Demo outputs",
            "",
            "What the marts hold when built from the demo seeds (3,000 generated users, "
            f"as_of_date {as_of}). Written by `uw demo-docs`; `make test` fails when this file "
            "differs from what the project computes, so it cannot go stale.",
            "",
        ]
        for title, what, sql in QUERIES:
            cursor = con.execute(sql)
            columns = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
            parts += [
                f"## {title}",
                "",
                what,
                "",
                "```sql",
                sql,
                "```",
                "",
                "| " + " | ".join(columns) + " |",
                "|" + "---|" * len(columns),
            ]
            parts += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
            parts.append("")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw demo-docs", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db",
        type=pathlib.Path,
        default=project.duckdb_path(),
        help="warehouse built from the demo seeds (default: $DUCKDB_PATH)",
    )
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="the Markdown file (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args(argv)
    text = render(args.db)
    if args.check:
        if not is_current(args.out, text):
            print(f"{args.out} is stale: run `make demo-docs` and commit it", file=sys.stderr)
            return 1
        print(f"{args.out} matches the warehouse")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def is_current(path: pathlib.Path, text: str) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == text


if __name__ == "__main__":
    sys.exit(main())
