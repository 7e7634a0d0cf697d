"""The daily operations report (运营日报): one self-contained HTML file with interactive charts of the
published marts (docs/report.md), labels in Chinese and English, that opens in any browser without a network.

Every chart reads a few aggregated rows from a mart (SQL does the work, the page never holds raw rows), so
the file's size does not grow with the users: plotly.js, inlined once, is most of it. Chinese labels come
from the marts or, where a mart has none, from the reference seeds (rules live once).

    uw report [--db warehouse/published/user_warehouse.duckdb] [--out reports/report.html]
"""

from __future__ import annotations

import argparse
import html
import os
import pathlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from user_warehouse import project

ROOT = project.root()
DEFAULT_DB = project.publish_dir() / "user_warehouse.duckdb"
RECENT_DAYS = 30  # the funnel and the channel conversion read the last 30 days up to as_of_date
TOP_ROWS = 20  # rows of the churn warning list and of the paths chart


def seed_labels(seed: str, key: str, label: str) -> dict[str, str]:
    frame = pd.read_csv(ROOT / "seeds" / "reference" / f"{seed}.csv", dtype=str)
    return dict(zip(frame[key], frame[label], strict=True))


def both(zh: str | None, en: str) -> str:
    return f"{zh} {en}" if zh and zh != en else en


@dataclass
class Chart:
    chart_id: str
    title: str  # Chinese and English
    note: str  # what it shows and which mart it reads
    figure: Callable[[duckdb.DuckDBPyConnection, dict], go.Figure]


def trend(con, ctx) -> go.Figure:
    df = con.execute("select date_day, pv, uv, revenue from marts.metrics_daily order by date_day").df()
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=df.date_day, y=df.pv, name="浏览量 pv")
    fig.add_scatter(x=df.date_day, y=df.uv, name="访客 uv")
    fig.add_scatter(x=df.date_day, y=df.revenue.astype(float), name="销售额 revenue", secondary_y=True)
    fig.update_yaxes(title_text="pv / uv", secondary_y=False)
    fig.update_yaxes(title_text="销售额 revenue", secondary_y=True)
    return fig


def channel_mix(con, ctx) -> go.Figure:
    df = con.execute(
        "select month_start, channel_group, sessions from marts.channel_summary order by month_start, channel_group"
    ).df()
    fig = go.Figure()
    for channel, rows in df.groupby("channel_group", sort=True):
        fig.add_bar(x=rows.month_start, y=rows.sessions, name=both(ctx["channels"].get(channel), channel))
    fig.update_layout(barmode="stack", yaxis_title="会话 sessions")
    return fig


def channel_conversion(con, ctx) -> go.Figure:
    df = con.execute(
        "select month_start, channel_group, conversion_rate, revenue from marts.channel_summary "
        "where month_start = (select max(month_start) from marts.channel_summary) "
        "order by conversion_rate desc nulls last, channel_group"
    ).df()
    labels = [both(ctx["channels"].get(c), c) for c in df.channel_group]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=df.conversion_rate,
            customdata=df.revenue.astype(float),
            hovertemplate="%{x}<br>转化率 conversion %{y:.1%}<br>销售额 revenue %{customdata:,.2f}",
        )
    )
    fig.update_layout(yaxis_tickformat=".0%", yaxis_title="访问购买转化率 conversion")
    return fig


def funnel(con, ctx) -> go.Figure:
    df = con.execute(
        "select step_order, step, step_zh, sum(sessions_reached) as sessions_reached from marts.funnel_daily "
        "where date_day > ? group by step_order, step, step_zh order by step_order",
        [ctx["recent_start"]],
    ).df()
    return go.Figure(
        go.Funnel(
            y=[both(z, s) for z, s in zip(df.step_zh, df.step, strict=True)],
            x=df.sessions_reached,
            textinfo="value+percent initial+percent previous",
        )
    )


def attribution(con, ctx) -> go.Figure:
    df = con.execute(
        "select attribution_model, channel_group, credited_orders, revenue_share "
        "from marts.attribution_channel_monthly "
        "where month_start = (select max(month_start) from marts.attribution_channel_monthly) "
        "order by channel_group, attribution_model"
    ).df()
    fig = go.Figure()
    for model in ctx["attribution_order"]:
        rows = df[df.attribution_model == model]
        fig.add_bar(
            x=[both(ctx["channels"].get(c), c) for c in rows.channel_group],
            y=rows.revenue_share,
            customdata=rows.credited_orders,
            name=both(ctx["attribution"].get(model), model),
            hovertemplate="%{x}<br>%{y:.1%} of revenue, %{customdata:.1f} orders",
        )
    fig.update_layout(barmode="group", yaxis_tickformat=".0%", yaxis_title="销售额占比 revenue share")
    return fig


def cohort_heatmap(con, ctx) -> go.Figure:
    df = con.execute(
        "select cohort_month, month_offset, retention_rate, retained_users, cohort_size "
        "from marts.cohort_retention order by cohort_month, month_offset"
    ).df()
    grid = df.pivot(index="cohort_month", columns="month_offset", values="retention_rate")
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=list(grid.columns),
            y=[str(d) for d in grid.index],
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar_tickformat=".0%",
            hovertemplate="cohort %{y}<br>+%{x} months<br>%{z:.1%}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis_title="注册后月数 months after registration", yaxis_title="注册月 cohort", yaxis_autorange="reversed"
    )
    return fig


def shares(con, mart: str, key: str) -> go.Figure:
    df = con.execute(
        f"select {key}, {key}_zh, users, user_share, revenue_share from marts.{mart} order by revenue_share desc, {key}"
    ).df()
    labels = [both(z, k) for z, k in zip(df[f"{key}_zh"], df[key], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=df.user_share,
        name="用户占比 user share",
        customdata=df.users,
        hovertemplate="%{x}<br>%{customdata} users, %{y:.1%}",
    )
    fig.add_bar(x=labels, y=df.revenue_share, name="销售额占比 revenue share")
    fig.update_layout(barmode="group", yaxis_tickformat=".0%")
    return fig


def lifecycle(con, ctx) -> go.Figure:
    df = con.execute(
        "select month_start, lifecycle_status, users from marts.lifecycle_monthly "
        "order by month_start, lifecycle_status"
    ).df()
    fig = go.Figure()
    for status in ctx["lifecycle_order"]:
        rows = df[df.lifecycle_status == status]
        fig.add_bar(x=rows.month_start, y=rows.users, name=both(ctx["lifecycle"].get(status), status))
    fig.update_layout(barmode="stack", yaxis_title="用户 users")
    return fig


def stickiness(con, ctx) -> go.Figure:
    df = con.execute("select date_day, dau, wau, mau, stickiness from marts.stickiness_daily order by date_day").df()
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for column, label in (("dau", "日活 DAU"), ("wau", "周活 WAU"), ("mau", "月活 MAU")):
        fig.add_scatter(x=df.date_day, y=df[column], name=label)
    fig.add_scatter(x=df.date_day, y=df.stickiness, name="粘性 DAU/MAU", secondary_y=True, line_dash="dot")
    fig.update_yaxes(tickformat=".0%", secondary_y=True)
    return fig


def event_retention(con, ctx) -> go.Figure:
    df = con.execute(
        "select cohort_week, week_offset, retention_rate, start_event_type, return_event_type "
        "from marts.event_retention_weekly where cohort_week >= (select max(cohort_week) from "
        "marts.event_retention_weekly) - interval 25 week and week_offset <= 12 order by cohort_week, week_offset"
    ).df()
    grid = df.pivot(index="cohort_week", columns="week_offset", values="retention_rate")
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=list(grid.columns),
            y=[str(d) for d in grid.index],
            colorscale="Greens",
            zmin=0,
            colorbar_tickformat=".0%",
            hovertemplate="cohort %{y}<br>+%{x} weeks<br>%{z:.1%}<extra></extra>",
        )
    )
    events = f"{df.start_event_type.iat[0]} → {df.return_event_type.iat[0]}" if len(df) else ""
    fig.update_layout(
        xaxis_title=f"周数 weeks after first event ({events})",
        yaxis_title="首周 cohort week",
        yaxis_autorange="reversed",
    )
    return fig


def paths(con, ctx) -> go.Figure:
    df = con.execute(
        f"select path, sessions, conversion_rate from marts.session_paths_top "
        f"where path_rank <= {TOP_ROWS} order by path_rank desc"
    ).df()
    return go.Figure(
        go.Bar(
            x=df.sessions,
            y=df.path,
            orientation="h",
            customdata=df.conversion_rate,
            hovertemplate="%{y}<br>%{x} sessions<br>转化率 conversion %{customdata:.1%}<extra></extra>",
        )
    )


def churn_top(con, ctx) -> go.Figure:
    df = con.execute(
        f"select user_id, risk_level, signal_count, reasons, days_since_last_visit "
        f"from marts.user_churn_warning where signal_count > 0 "
        f"order by signal_count desc, days_since_last_visit desc nulls last, user_id limit {TOP_ROWS}"
    ).df()
    header = ["用户 user_id", "风险 risk", "信号 signals", "原因 reasons", "未访问天数 days since visit"]
    return go.Figure(
        go.Table(
            header={"values": header, "align": "left"},
            cells={"values": [df[c] for c in df.columns], "align": "left"},
            columnwidth=[1, 0.6, 0.5, 3, 0.8],
        )
    )


def audience_sizes(con, ctx) -> go.Figure:
    df = con.execute(
        "select audience_id, audience_name, audience_name_zh, purpose, rule, members "
        "from marts.audience_sizes order by members, audience_id"
    ).df()
    return go.Figure(
        go.Bar(
            x=df.members,
            y=[both(z, n) for z, n in zip(df.audience_name_zh, df.audience_name, strict=True)],
            orientation="h",
            customdata=df[["purpose", "rule"]].values,
            hovertemplate="%{y}<br>%{x} users<br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    )


def recommendations(con, ctx) -> go.Figure:
    """The most recommended products, and how long the lists are (a full list is var recommendations_per_user)."""
    top = con.execute(
        "select product_id, coalesce(max(category), '') as category, count(*) as persons "
        "from marts.user_recommendations group by product_id "
        f"order by persons desc, product_id limit {TOP_ROWS}"
    ).df()[::-1]
    lengths = con.execute(
        "select list_length, count(*) as persons from ("
        "select person_id, count(*) as list_length from marts.user_recommendations group by person_id"
        ") as lists group by list_length order by list_length"
    ).df()
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.6, 0.4],
        subplot_titles=("最常推荐的商品 most recommended products", "推荐列表长度 products per person"),
    )
    fig.add_trace(
        go.Bar(
            x=top.persons,
            y=[f"{p} {c}".strip() for p, c in zip(top.product_id, top.category, strict=True)],
            orientation="h",
            hovertemplate="%{y}<br>recommended to %{x} persons<extra></extra>",
            name="persons",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            x=lengths.list_length.astype(str),
            y=lengths.persons,
            hovertemplate="%{x} products: %{y} persons<extra></extra>",
            name="lists",
        ),
        row=1,
        col=2,
    )
    fig.update_layout(showlegend=False, height=520)
    fig.update_xaxes(title_text="人数 persons", row=1, col=1)
    fig.update_xaxes(title_text="推荐数 products in the list", type="category", row=1, col=2)
    fig.update_yaxes(title_text="人数 persons", row=1, col=2)
    return fig


def tag_coverage(con, ctx) -> go.Figure:
    df = con.execute(
        "select tag_id, tag_name, tag_name_zh, users, share_of_users from marts.tag_summary "
        "order by share_of_users, tag_id"
    ).df()
    return go.Figure(
        go.Bar(
            x=df.share_of_users,
            y=[both(z, n) for z, n in zip(df.tag_name_zh, df.tag_name, strict=True)],
            orientation="h",
            customdata=df.users,
            hovertemplate="%{y}<br>%{customdata} users, %{x:.1%}<extra></extra>",
        )
    )


CHARTS = [
    Chart("trend", "趋势 Trend: pv / uv / revenue", "Per day (metrics_daily).", trend),
    Chart("channel_mix", "渠道结构 Channel mix", "Sessions per month and channel (channel_summary).", channel_mix),
    Chart(
        "channel_conversion",
        "渠道转化 Channel conversion",
        "Buyers / uv per channel, latest month (channel_summary).",
        channel_conversion,
    ),
    Chart(
        "funnel",
        "购买漏斗 Purchase funnel",
        f"Sessions reaching each step, last {RECENT_DAYS} days (funnel_daily).",
        funnel,
    ),
    Chart(
        "attribution",
        "触点归因 Attribution by model",
        "Revenue share per channel in each attribution model, latest month (attribution_channel_monthly).",
        attribution,
    ),
    Chart(
        "cohort_retention",
        "留存热力图 Cohort retention",
        "Registration month × months after (cohort_retention).",
        cohort_heatmap,
    ),
    Chart(
        "rfm_segments",
        "RFM 分群 RFM segments",
        "User and revenue share (rfm_segment_summary).",
        lambda con, ctx: shares(con, "rfm_segment_summary", "segment"),
    ),
    Chart(
        "rfm_layers",
        "用户分层 The eight RFM layers",
        "User and revenue share (rfm_layer_summary).",
        lambda con, ctx: shares(con, "rfm_layer_summary", "layer"),
    ),
    Chart("lifecycle", "生命周期 Lifecycle", "Users per status at each month end (lifecycle_monthly).", lifecycle),
    Chart(
        "stickiness",
        "活跃与粘性 Active users and stickiness",
        "DAU, WAU, MAU and DAU/MAU (stickiness_daily).",
        stickiness,
    ),
    Chart(
        "event_retention",
        "事件留存 Event retention",
        "Weekly cohorts of the first start event, last 26 cohorts (event_retention_weekly).",
        event_retention,
    ),
    Chart("paths", "常见路径 Top session paths", f"Top {TOP_ROWS} paths by sessions (session_paths_top).", paths),
    Chart(
        "churn_warning",
        "流失预警 Churn warning: top of the list",
        f"{TOP_ROWS} users with the most signals (user_churn_warning).",
        churn_top,
    ),
    Chart(
        "audiences",
        "人群包 Audience sizes",
        "Members per audience on the as-of date, rule on hover (audience_sizes).",
        audience_sizes,
    ),
    Chart(
        "recommendations",
        "个性化推荐 Recommendations",
        f"The {TOP_ROWS} products recommended to most persons, and how many persons get lists of each length: a full "
        "list is var recommendations_per_user (user_recommendations).",
        recommendations,
    ),
    Chart("tag_coverage", "标签覆盖 Tag coverage", "Share of users per tag (tag_summary).", tag_coverage),
]


def header_tables(con) -> str:
    staging = con.execute(
        "select relation, raw_rows, staged_rows, rejected_rows, duplicates_removed, rejected_share "
        "from marts.data_quality_staging order by relation"
    ).df()
    rejects = con.execute(
        "select relation, reject_reason, rejected_rows from marts.data_quality_rejects "
        "order by rejected_rows desc, relation, reject_reason"
    ).df()
    staging["rejected_share"] = staging.rejected_share.map("{:.2%}".format)
    return (
        '<div class="quality"><div><h3>数据质量 Data quality: raw rows staged and rejected</h3>'
        + staging.to_html(index=False, classes="dq", border=0)
        + "</div><div><h3>拒绝原因 Rows rejected by reason</h3>"
        + (rejects.to_html(index=False, classes="dq", border=0) if len(rejects) else "<p>No rows rejected.</p>")
        + "</div></div>"
    )


PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>运营日报 Operations report {as_of}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; margin: 1.5rem;
       background: #f6f7f9; color: #1f2430; }}
header {{ background: #fff; padding: 1rem 1.5rem; border-radius: 8px; margin-bottom: 1rem; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }}
section {{ background: #fff; padding: .75rem 1rem; border-radius: 8px; }}
h1 {{ margin: 0 0 .25rem; }} h2 {{ font-size: 1.1rem; margin: .25rem 0; }} h3 {{ font-size: 1rem; }}
.note {{ color: #5b6475; font-size: .85rem; margin: 0; }}
table.dq {{ border-collapse: collapse; font-size: .85rem; }}
table.dq td, table.dq th {{ padding: .2rem .6rem; border-bottom: 1px solid #e3e6eb; text-align: right; }}
.chart {{ min-height: 420px; }}
.quality {{ display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }}
</style>
<script type="text/javascript">{plotlyjs}</script>
</head><body>
<header><h1>运营日报 Operations daily report</h1>
<p>截至 As of <strong id="as-of">{as_of}</strong> · {charts} 图表 charts · from the published marts</p>
{quality}</header>
<div class="grid">
{sections}
</div>
<script>
// each chart was drawn while the grid was still being laid out: fit it to its card
window.addEventListener("load", () =>
  document.querySelectorAll(".js-plotly-plot").forEach(gd => Plotly.Plots.resize(gd)));
</script>
</body></html>
"""


def build(db: pathlib.Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        as_of = con.execute("select max(date_day) from marts.metrics_daily").fetchone()[0]
        ctx = {
            "recent_start": pd.Timestamp(as_of) - pd.Timedelta(days=RECENT_DAYS),
            "channels": seed_labels("channel_groups", "channel_group", "channel_group_zh"),
            "lifecycle": seed_labels("lifecycle_statuses", "lifecycle_status", "lifecycle_status_zh"),
            "lifecycle_order": list(seed_labels("lifecycle_statuses", "lifecycle_status", "check_order")),
            "attribution": seed_labels("attribution_models", "attribution_model", "attribution_model_zh"),
            "attribution_order": list(seed_labels("attribution_models", "attribution_model", "model_order")),
        }
        sections = []
        for chart in CHARTS:
            figure = chart.figure(con, ctx)
            figure.update_layout(
                margin={"l": 40, "r": 20, "t": 20, "b": 40},
                height=420,
                legend={"orientation": "h", "y": -0.15},
                template="plotly_white",
            )
            div = figure.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=chart.chart_id,
                config={"displaylogo": False, "responsive": True},
            )
            sections.append(
                f'<section><h2>{html.escape(chart.title)}</h2><p class="note">{html.escape(chart.note)}'
                f'</p><div class="chart">{div}</div></section>'
            )
        quality = header_tables(con)
    return PAGE.format(
        as_of=as_of, charts=len(CHARTS), quality=quality, sections="\n".join(sections), plotlyjs=get_plotlyjs()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw report", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=pathlib.Path, default=DEFAULT_DB, help="the published marts (DuckDB file)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "reports" / "report.html")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no published marts at {args.db}: run `make build` first or pass --db")
    start = time.perf_counter()
    page = build(args.db)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    staging = args.out.with_name(f".{args.out.name}.tmp")
    staging.write_text(page, encoding="utf-8")
    os.replace(staging, args.out)  # a reader never sees half a report
    print(
        f"report: {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(CHARTS)} charts, "
        f"{time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
