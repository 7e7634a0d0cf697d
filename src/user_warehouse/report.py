"""The daily operations report (运营日报): one self-contained HTML file with interactive charts of the
published marts (docs/report.md), labels in Chinese and English, that opens in any browser without a network.

Every chart reads a few aggregated rows from a mart (SQL does the work, the page never holds raw rows), so
the file's size does not grow with the users: plotly.js, inlined once, is most of it. Chinese labels come
from the marts or, where a mart has none, from the reference seeds (rules live once).

    uw report [--db warehouse/published/user_warehouse.duckdb] [--out reports/report.html]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
SPARK_DAYS = 28  # each headline tile's sparkline: the 28 days up to as_of_date
MOVING_DAYS = 7  # the trend's moving average
# the headline tiles of the as-of day (metrics_daily column, label, kind): ratios stay the mart's ratios of that day
KPIS = (
    ("uv", "访客 Visitors", "count"),
    ("new_visitors", "新用户 New users", "count"),
    ("sessions", "会话 Sessions", "count"),
    ("orders", "订单 Orders", "count"),
    ("revenue", "销售额 Revenue", "money"),
    ("conversion_rate", "转化率 Conversion", "rate"),
    ("aov", "客单价 AOV", "money"),
)


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
    df["revenue"] = df.revenue.astype(float)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    # each day faint, its moving average drawn over it (the mart holds every day, so a row is a day)
    for column, label, colour, right in (
        ("pv", "浏览量 pv", "#1f77b4", False),
        ("uv", "访客 uv", "#2ca02c", False),
        ("revenue", "销售额 revenue", "#d62728", True),
    ):
        fig.add_scatter(
            x=df.date_day,
            y=df[column],
            name=label,
            line={"color": colour, "width": 1},
            opacity=0.3,
            secondary_y=right,
        )
        fig.add_scatter(
            x=df.date_day,
            y=df[column].rolling(MOVING_DAYS).mean(),
            name=f"{label} {MOVING_DAYS}日均 {MOVING_DAYS}-day avg",
            line={"color": colour, "width": 2},
            secondary_y=right,
        )
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
    df = df[::-1]  # horizontal bars, the highest on top: the channel names fit beside them
    labels = [both(ctx["channels"].get(c), c) for c in df.channel_group]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=df.conversion_rate,
            orientation="h",
            customdata=df.revenue.astype(float),
            hovertemplate="%{y}<br>转化率 conversion %{x:.1%}<br>销售额 revenue %{customdata:,.2f}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_tickformat=".0%", xaxis_title="访问购买转化率 conversion")
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
    # horizontal bars (the channel names fit beside them), the models in their seed order within each channel
    for model in reversed(ctx["attribution_order"]):
        rows = df[df.attribution_model == model]
        fig.add_bar(
            y=[both(ctx["channels"].get(c), c) for c in rows.channel_group],
            x=rows.revenue_share,
            orientation="h",
            customdata=rows.credited_orders,
            name=both(ctx["attribution"].get(model), model),
            hovertemplate="%{y}<br>%{x:.1%} of revenue, %{customdata:.1f} orders<extra></extra>",
        )
    channels = sorted({both(ctx["channels"].get(c), c) for c in df.channel_group}, reverse=True)
    fig.update_layout(
        barmode="group",
        xaxis_tickformat=".0%",
        xaxis_title="销售额占比 revenue share",
        yaxis={"categoryorder": "array", "categoryarray": channels},
        legend_traceorder="reversed",
        height=640,
    )
    return fig


def cohort_heatmap(con, ctx) -> go.Figure:
    df = con.execute(
        "select cohort_month, month_offset, retention_rate, retained_users, cohort_size "
        "from marts.cohort_retention order by cohort_month, month_offset"
    ).df()
    grid = df.pivot(index="cohort_month", columns="month_offset", values="retention_rate")
    # month 0 is 100 % by definition: the colours span the later months, or every later cell would look white
    later = df.retention_rate[df.month_offset > 0].max()
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=list(grid.columns),
            y=[str(d)[:7] for d in grid.index],
            colorscale="Blues",
            zmin=0,
            zmax=later if later and later > 0 else 1,
            colorbar_tickformat=".0%",
            texttemplate="%{z:.0%}",
            textfont={"size": 9},
            hovertemplate="cohort %{y}<br>+%{x} months<br>%{z:.1%}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis_title="注册后月数 months after registration",
        yaxis_title="注册月 cohort",
        yaxis_autorange="reversed",
        yaxis_type="category",
        xaxis_dtick=1,
    )
    return fig


def shares(con, mart: str, key: str) -> go.Figure:
    df = con.execute(
        f"select {key}, {key}_zh, users, user_share, revenue_share from marts.{mart} order by revenue_share desc, {key}"
    ).df()
    # horizontal bars: the two-language names fit beside the bars, not squeezed under them; largest on top
    df = df[::-1]
    labels = [both(z, k) for z, k in zip(df[f"{key}_zh"], df[key], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=df.user_share,
        orientation="h",
        name="用户占比 user share",
        customdata=df.users,
        hovertemplate="%{y}<br>%{customdata} users, %{x:.1%}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=df.revenue_share,
        orientation="h",
        name="销售额占比 revenue share",
        hovertemplate="%{y}<br>%{x:.1%} of revenue<extra></extra>",
    )
    fig.update_layout(barmode="group", xaxis_tickformat=".0%")
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
    # the first days' MAU counts fewer days than its window (var active_users_month_days): start once it is full
    df = con.execute(
        "select date_day, dau, wau, mau, stickiness from marts.stickiness_daily "
        "where date_day >= (select min(date_day) from marts.stickiness_daily) + ? order by date_day",
        [ctx["month_days"] - 1],
    ).df()
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


def churn_reasons(row, ctx) -> str:
    """Each signal with its numbers and units (the mart's flags and measures, the thresholds from the vars)."""
    reasons = []
    if row.inactive_too_long:
        reasons.append(
            f"{row.days_since_last_visit} 天未活跃 days without activity"
            f" (usually every {row.usual_revisit_days:.1f} days)"
        )
    if row.sessions_dropped:
        reasons.append(
            f"会话下降 sessions {row.sessions_before} → {row.sessions_recent} (the {ctx['session_days']} days before"
            f" against the last {ctx['session_days']})"
        )
    if row.order_overdue:
        reasons.append(
            f"{row.days_since_last_order} 天未下单 days without an order (usually every "
            f"{row.avg_days_between_orders:.1f} days)"
        )
    if row.low_rating:
        reasons.append(f"低评分 rated {ctx['low_rating']} or lower of 5 in the last {ctx['rating_days']} days")
    return "; ".join(reasons)


def churn_table(con, ctx) -> str:
    """The top of the churn warning list as an HTML table: contact masked, never in clear."""
    df = con.execute(
        "select warning.*, users.rfm_segment, users.rfm_layer, users.rfm_layer_zh, users.predicted_value, "
        "coalesce(users.phone_masked, users.email_masked) as contact "
        "from marts.user_churn_warning as warning inner join marts.dim_users as users using (user_id) "
        "where warning.signal_count > 0 "
        "order by warning.signal_count desc, warning.days_since_last_visit desc nulls last, warning.user_id "
        f"limit {TOP_ROWS}"
    ).df()
    if df.empty:
        return "<p>No user has a churn signal.</p>"
    table = pd.DataFrame(
        {
            "用户 user": df.user_id,
            "联系方式 contact (masked)": df.contact.fillna("—"),
            "风险 risk": df.risk_level,
            "RFM 分群 segment": df.rfm_segment.fillna("—"),
            "价值分层 value layer": [
                both(z, k) if isinstance(k, str) else "—" for z, k in zip(df.rfm_layer_zh, df.rfm_layer, strict=True)
            ],
            "预测价值 predicted value": df.predicted_value.map(lambda v: "—" if pd.isna(v) else f"{v:,.2f}"),
            "流失概率 churn probability": df.churn_probability.map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
            "原因 reasons": [churn_reasons(row, ctx) for row in df.itertuples()],
        }
    )
    return table.to_html(index=False, classes="list", border=0, table_id="churn-list", escape=True)


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
        subplot_titles=("最常推荐的商品 most recommended", "列表长度 list length"),
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


def sparkline(values: list[float | None], width: int = 150, height: int = 34) -> str:
    """An inline SVG line of the values (a gap where a value is missing): no library, no network."""
    known = [v for v in values if v is not None]
    if not known:
        return f'<svg class="spark" width="{width}" height="{height}"></svg>'
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    path, pen_down = [], False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        x, y = index * step, height - 2 - (value - low) / span * (height - 4)
        # a new stroke starts with a dot (a zero-length line with round caps), so a value alone between gaps shows
        path.append(f"L{x:.1f},{y:.1f}" if pen_down else f"M{x:.1f},{y:.1f} l0,0")
        pen_down = True
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<path d="{" ".join(path)}" fill="none" stroke="#3b6fd8" stroke-width="1.5" stroke-linecap="round"/></svg>'
    )


def shown(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    return {"count": f"{value:,.0f}", "money": f"{value:,.2f}", "rate": f"{value:.1%}"}[kind]


def change(value: float | None, before: float | None, kind: str) -> tuple[str, str]:
    """(text, direction) of value against before: a rate in percentage points, anything else in per cent."""
    if value is None or before is None:
        return "—", "flat"
    if kind == "rate":
        points = (value - before) * 100
        return f"{points:+.1f} pp".replace("-", "−"), "up" if points > 0 else "down" if points < 0 else "flat"
    if before == 0:
        return ("—", "flat") if value == 0 else ("new", "up")
    ratio = value / before - 1
    return f"{ratio:+.1%}".replace("-", "−"), "up" if ratio > 0 else "down" if ratio < 0 else "flat"


def kpi_tiles(con, as_of) -> str:
    """The as-of day's headline: each metric against the day before and the same weekday a week before, with the
    last SPARK_DAYS days as a sparkline (metrics_daily: the semantic layer's definitions, checked equal)."""
    columns = ", ".join(column for column, _, _ in KPIS)
    df = con.execute(
        f"select date_day, {columns} from marts.metrics_daily "
        "where date_day between cast(? as date) - ? and cast(? as date) order by date_day",
        [as_of, SPARK_DAYS - 1, as_of],
    ).df()
    by_day = {pd.Timestamp(day).date(): row for day, row in zip(df.date_day, df.itertuples(), strict=True)}
    day = pd.Timestamp(as_of).date()
    days = [day - dt.timedelta(days=back) for back in range(SPARK_DAYS - 1, -1, -1)]

    def value(on, column) -> float | None:
        row = by_day.get(on)
        raw = None if row is None else getattr(row, column)
        return None if raw is None or pd.isna(raw) else float(raw)

    tiles = []
    for column, label, kind in KPIS:
        today = value(day, column)
        comparisons = []
        for back, name, meaning in (
            (1, "日环比 d/d", "against the day before"),
            (7, "周同比 w/w", "against the same weekday a week before"),
        ):
            text, direction = change(today, value(day - dt.timedelta(days=back), column), kind)
            comparisons.append(f'<span class="{direction}" title="{meaning}">{text}</span> <small>{name}</small>')
        tiles.append(
            f'<div class="kpi" data-metric="{column}" data-value="{"" if today is None else repr(today)}">'
            f'<div class="kpi-label">{html.escape(label)}</div><div class="kpi-value">{shown(today, kind)}</div>'
            f'<div class="kpi-change">{"<br>".join(comparisons)}</div>'
            f"{sparkline([value(d, column) for d in days])}</div>"
        )
    return f'<div class="kpis" id="kpis">{"".join(tiles)}</div>'


def data_quality_tables(con) -> str:
    staging = con.execute(
        "select relation, raw_rows, staged_rows, rejected_rows, duplicates_removed, rejected_share, "
        "strftime(newest_data_at, '%Y-%m-%d %H:%M') as newest_data_at_utc "
        "from marts.data_quality_staging order by relation"
    ).df()
    rejects = con.execute(
        "select relation, reject_reason, rejected_rows from marts.data_quality_rejects "
        "order by rejected_rows desc, relation, reject_reason"
    ).df()
    staging["rejected_share"] = staging.rejected_share.map("{:.2%}".format)
    return (
        '<section class="wide" id="data-quality"><h2>数据质量 Data quality</h2><div class="quality">'
        "<div><h3>数据质量 Data quality: raw rows staged and rejected</h3>"
        + staging.to_html(index=False, classes="dq", border=0)
        + "</div><div><h3>拒绝原因 Rows rejected by reason</h3>"
        + (rejects.to_html(index=False, classes="dq", border=0) if len(rejects) else "<p>No rows rejected.</p>")
        + "</div></div></section>"
    )


PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>运营日报 Operations report {as_of}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; margin: 1.5rem;
       background: #f6f7f9; color: #1f2430; }}
header {{ background: #fff; padding: 1rem 1.5rem; border-radius: 8px; margin-bottom: 1rem; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }}
section {{ background: #fff; padding: .75rem 1rem; border-radius: 8px; min-width: 0; }}
section.wide {{ grid-column: 1 / -1; margin-top: 1rem; }}
h1 {{ margin: 0 0 .25rem; }} h2 {{ font-size: 1.1rem; margin: .25rem 0; }} h3 {{ font-size: 1rem; }}
.note {{ color: #5b6475; font-size: .85rem; margin: 0; }}
.kpis {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem;
        margin-top: .75rem; }}
.kpi {{ border: 1px solid #e3e6eb; border-radius: 8px; padding: .6rem .8rem; }}
.kpi-label {{ color: #5b6475; font-size: .85rem; }}
.kpi-value {{ font-size: 1.7rem; font-weight: 600; margin: .1rem 0; }}
.kpi-change {{ font-size: .8rem; line-height: 1.35; }} .kpi-change small {{ color: #5b6475; }}
.up {{ color: #1a7f37; }} .down {{ color: #c62828; }} .flat {{ color: #5b6475; }}
.spark {{ display: block; margin-top: .35rem; }}
table.dq, table.list {{ border-collapse: collapse; font-size: .85rem; }}
table.dq td, table.dq th {{ padding: .2rem .6rem; border-bottom: 1px solid #e3e6eb; text-align: right; }}
table.list {{ width: 100%; }}
table.list td, table.list th {{ padding: .3rem .5rem; border-bottom: 1px solid #e3e6eb; text-align: left;
                                vertical-align: top; }}
.chart {{ min-height: 420px; }}
.quality {{ display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }}
</style>
<script type="text/javascript">{plotlyjs}</script>
</head><body>
<header><h1>运营日报 Operations daily report</h1>
<p>截至 As of <strong id="as-of">{as_of}</strong> · {charts} 图表 charts · from the published marts</p>
{kpis}</header>
<div class="grid">
{sections}
</div>
{quality}
<script>
// each chart was drawn while the grid was still being laid out: fit it to its card
window.addEventListener("load", () =>
  document.querySelectorAll(".js-plotly-plot").forEach(gd => Plotly.Plots.resize(gd)));
</script>
</body></html>
"""


def build(db: pathlib.Path) -> str:
    rules = project.dbt_vars()
    with duckdb.connect(str(db), read_only=True) as con:
        as_of = con.execute("select max(date_day) from marts.metrics_daily").fetchone()[0]
        ctx = {
            "recent_start": pd.Timestamp(as_of) - pd.Timedelta(days=RECENT_DAYS),
            "channels": seed_labels("channel_groups", "channel_group", "channel_group_zh"),
            "lifecycle": seed_labels("lifecycle_statuses", "lifecycle_status", "lifecycle_status_zh"),
            "lifecycle_order": list(seed_labels("lifecycle_statuses", "lifecycle_status", "check_order")),
            "attribution": seed_labels("attribution_models", "attribution_model", "attribution_model_zh"),
            "attribution_order": list(seed_labels("attribution_models", "attribution_model", "model_order")),
            "month_days": int(rules["active_users_month_days"]),
            "session_days": int(rules["churn_session_window_days"]),
            "low_rating": rules["churn_low_rating"],
            "rating_days": int(rules["churn_rating_window_days"]),
        }
        sections = []
        for chart in CHARTS:
            figure = chart.figure(con, ctx)
            figure.update_layout(
                margin={"l": 40, "r": 20, "t": 30, "b": 40},
                height=figure.layout.height or 420,
                # the legend above the plot: below it, it collides with long axis labels
                legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                template="plotly_white",
            )
            # x labels a little lower: the first month's label otherwise touches the y axis' 0
            figure.update_xaxes(automargin=True, ticklabelstandoff=6)
            figure.update_yaxes(automargin=True)
            div = figure.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=chart.chart_id,
                config={"displaylogo": False, "displayModeBar": False, "responsive": True},
            )
            sections.append(
                f'<section><h2>{html.escape(chart.title)}</h2><p class="note">{html.escape(chart.note)}'
                f'</p><div class="chart">{div}</div></section>'
            )
        sections.append(
            '<section class="wide" id="churn-warning"><h2>流失预警 Churn warning: top of the list</h2>'
            f'<p class="note">The {TOP_ROWS} users with the most signals, contact masked (user_churn_warning, '
            f"dim_users).</p>{churn_table(con, ctx)}</section>"
        )
        kpis = kpi_tiles(con, as_of)
        quality = data_quality_tables(con)
    return PAGE.format(
        as_of=as_of,
        charts=len(CHARTS),
        kpis=kpis,
        quality=quality,
        sections="\n".join(sections),
        plotlyjs=get_plotlyjs(),
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
