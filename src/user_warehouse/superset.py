"""Apache Superset, the reference BI client (docs/bi.md#apache-superset): the published marts as datasets with their
descriptions, the semantic layer's metrics as Superset metrics, and the dashboard 运营日报 / Operations daily.

  uw superset install            make Superset's own environment (.venv-superset) from requirements/superset.txt
  uw superset bundle --out DIR   write the import bundle (YAML) from the build's manifests
  uw superset setup              make a Superset home (.superset/), import the bundle; needs make superset's venv
  uw superset serve              run Superset on 127.0.0.1 only

Superset lives in its own virtual environment (.venv-superset, `make superset`): its pins clash with the project's.
The bundle is plain YAML written here, so this module imports nothing of Superset's.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import secrets
import shutil
import subprocess
import sys
import uuid

import yaml

from user_warehouse import project
from user_warehouse.compare import MARTS_SCHEMA
from user_warehouse.publish import PUBLISHED_FILE

# Every uuid of the bundle derives from its object's name, so the same build gives the same bundle and a second
# import updates the objects of the first in place.
NAMESPACE = uuid.UUID("0d6c3b1e-5d2a-4b7e-9a51-3f2c8e9d7a10")
DATABASE_NAME = "user_warehouse"
DASHBOARD_SLUG = "operations-daily"
DASHBOARD_TITLE = "运营日报 / Operations daily"
KEY_METRICS = "key_metrics"

# Superset's format per metric, by what the metric counts.
FORMATS = {"ratio": ".2%", "money": ",.2f", "count": ",d"}
MONEY_METRICS = {"revenue", "aov", "arppu"}

# measure aggregations of the semantic layer -> SQL
AGGREGATIONS = {
    "sum": "SUM({})",
    "count_distinct": "COUNT(DISTINCT {})",
    "count": "COUNT({})",
    "max": "MAX({})",
    "min": "MIN({})",
    "average": "AVG({})",
}


def object_uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


# ---------------------------------------------------------------------------------------------------------------
# Metrics from the semantic layer


def semantic_definitions(target: pathlib.Path) -> tuple[dict, dict, dict]:
    """(semantic models by name, measures by name with their model, metrics by name) of semantic_manifest.json."""
    manifest = json.loads((target / "semantic_manifest.json").read_text())
    models = {model["name"]: model for model in manifest["semantic_models"]}
    measures = {
        measure["name"]: {**measure, "semantic_model": model["name"]}
        for model in manifest["semantic_models"]
        for measure in model["measures"]
    }
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    return models, measures, metrics


def metric_format(name: str, metric: dict) -> str:
    if name in MONEY_METRICS:
        return FORMATS["money"]
    return FORMATS["ratio" if metric["type"] in ("ratio", "derived") else "count"]


def measure_sql(measure: dict, column: str) -> str:
    """A measure aggregated over `column` (the measure's expression, or the union dataset's column holding it)."""
    agg = measure["agg"]
    if agg not in AGGREGATIONS:
        raise ValueError(f"measure {measure['name']}: aggregation {agg!r} has no Superset form here")
    return AGGREGATIONS[agg].format(column)


def metric_sql(name: str, metrics: dict, measures: dict, column_of, cumulative_column=None) -> str | None:
    """The SQL of a metric over one dataset, or None when the dataset cannot express it.

    column_of(measure) names the column (or expression) holding a measure's per-row value in the dataset, or None.
    cumulative_column(metric) does the same for a cumulative metric's per-day value. Ratios are a ratio of the two
    aggregates at whatever grain the chart asks for, never an aggregate of stored ratios.
    """
    metric = metrics[name]
    params = metric["type_params"]
    if metric["type"] == "simple":
        measure = measures[params["measure"]["name"]]
        column = column_of(measure)
        if column is None:
            return None
        sql = measure_sql(measure, column)
        fill = params["measure"].get("fill_nulls_with")
        return sql if fill is None else f"COALESCE({sql}, {fill})"
    if metric["type"] == "ratio":
        numerator = metric_sql(params["numerator"]["name"], metrics, measures, column_of, cumulative_column)
        denominator = metric_sql(params["denominator"]["name"], metrics, measures, column_of, cumulative_column)
        if numerator is None or denominator is None:
            return None
        return f"1.0 * {numerator} / NULLIF({denominator}, 0)"
    if metric["type"] == "cumulative":
        # A trailing window has no per-row aggregate: the daily mart that holds it is read, so by day only.
        return None if cumulative_column is None else cumulative_column(name)
    if metric["type"] == "derived":
        inputs = {}
        for used in params["metrics"]:
            sql = metric_sql(used["name"], metrics, measures, column_of, cumulative_column)
            if sql is None:
                return None
            inputs[used.get("alias") or used["name"]] = sql
        ratio = re.fullmatch(r"\s*(\w+)\s*/\s*(\w+)\s*", params["expr"])
        if ratio:
            return f"1.0 * {inputs[ratio.group(1)]} / NULLIF({inputs[ratio.group(2)]}, 0)"
        return re.sub(r"\b\w+\b", lambda word: f"({inputs[word[0]]})" if word[0] in inputs else word[0], params["expr"])
    return None


def superset_metric(name: str, metric: dict, expression: str, grain_note: str = "") -> dict:
    description = metric.get("description") or ""
    return {
        "metric_name": name,
        "verbose_name": metric.get("label") or name,
        "metric_type": None,
        "expression": expression,
        "description": f"{description} {grain_note}".strip(),
        "d3format": metric_format(name, metric),
        "extra": {},
        "warning_text": None,
    }


def window_days(metric: dict) -> int:
    """The trailing window of a cumulative metric in days ("30 days")."""
    window = metric["type_params"]["cumulative_type_params"]["window"]
    count, unit = window["count"], window["granularity"]
    if unit != "day":
        raise ValueError(f"metric {metric['name']}: a window in {unit}s has no daily form here")
    return count


def key_metrics_sql(models: dict, measures: dict, schema: str, cumulative: dict[str, tuple[str, int]]) -> str:
    """One row per source row of every semantic model (and per day of the cumulative metrics' mart): the day it
    counts on as metric_time and one column per measure, null outside its own model. Every metric of the semantic
    layer is then an aggregate over this one dataset, at any grain and with ratios of sums. A trailing-window
    value is left out until its window is full: a 30-day count over the first week of data is not a 30-day count.

    Each column has one type in every branch, its nulls included: PostgreSQL types a column of nulls as text and
    then refuses to stack numbers under it. Counted values are text (a distinct count of text equals that of the
    values), summed ones numeric (exact), trailing-window counts bigint."""
    types = {name: "varchar" if m["agg"] in ("count", "count_distinct") else "numeric" for name, m in measures.items()}
    types.update({name: "bigint" for name in cumulative})
    names = list(types)

    def stacked(values: dict[str, str]) -> str:
        return ",\n    ".join(f"cast({values.get(name, 'null')} as {types[name]}) as {name}" for name in names)

    branches = []
    for model in models.values():
        time = model["defaults"]["agg_time_dimension"]
        dimension = next(d for d in model["dimensions"] if d["name"] == time)
        time_expr = dimension.get("expr") or time
        values = {m["name"]: m.get("expr") or m["name"] for m in model["measures"]}
        branches.append(
            f"select\n    {time_expr} as metric_time,\n    {stacked(values)}\n"
            f"from {schema}.{model['node_relation']['alias']}"
        )
    for mart in sorted({mart for mart, _ in cumulative.values()}):
        values = {
            name: f"case when date_day - min(date_day) over () >= {days - 1} then {name} end"
            for name, (source, days) in cumulative.items()
            if source == mart
        }
        branches.append(f"select\n    date_day as metric_time,\n    {stacked(values)}\nfrom {schema}.{mart}")
    return "\nunion all\n".join(branches)


# ---------------------------------------------------------------------------------------------------------------
# Datasets


def own_expression(measure: dict, own: set[str]) -> str | None:
    """A measure's expression over its own mart's rows, or None for another model's measure."""
    return (measure.get("expr") or measure["name"]) if measure["name"] in own else None


def reads_a_window(metric: dict, metrics: dict) -> bool:
    """A cumulative metric, or one derived from one: defined by day only."""
    used = [metrics[m["name"]] for m in metric["type_params"].get("metrics") or []]
    return metric["type"] == "cumulative" or any(reads_a_window(m, metrics) for m in used)


def dbt_models(target: pathlib.Path) -> dict[str, dict]:
    """The published marts of manifest.json by name (schema marts, tables)."""
    manifest = json.loads((target / "manifest.json").read_text())
    return {
        node["alias"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["schema"] == MARTS_SCHEMA
        and node["config"]["materialized"] != "ephemeral"
    }


def dataset(
    table: str,
    description: str,
    columns: list[dict],
    metrics: list[dict],
    *,
    sql: str | None = None,
    time_column: str | None = None,
) -> dict:
    return {
        "table_name": table,
        "main_dttm_col": time_column,
        "description": description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "schema": MARTS_SCHEMA,
        "sql": sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": object_uuid("dataset", table),
        "metrics": metrics,
        "columns": columns,
        "version": "1.0.0",
        "database_uuid": object_uuid("database", DATABASE_NAME),
    }


def column(name: str, data_type: str | None, description: str) -> dict:
    data_type = (data_type or "").upper()
    return {
        "column_name": name,
        "verbose_name": None,
        "is_dttm": data_type.startswith(("DATE", "TIMESTAMP")),
        "is_active": True,
        "type": data_type or None,
        "advanced_data_type": None,
        "groupby": True,
        "filterable": True,
        "expression": None,
        "description": description or None,
        "python_date_format": None,
        "extra": {},
    }


def datasets(target: pathlib.Path) -> dict[str, dict]:
    """Every published mart as a dataset with its descriptions, the metrics its own semantic model defines, and the
    key_metrics dataset holding every metric."""
    marts = dbt_models(target)
    models, measures, metrics = semantic_definitions(target)
    model_of = {model["node_relation"]["alias"]: model for model in models.values()}
    # A cumulative metric's per-day value lives in the daily mart with a column of its name.
    cumulative = {
        name: (
            next(mart for mart, node in sorted(marts.items()) if {name, "date_day"} <= set(node["columns"])),
            window_days(metric),
        )
        for name, metric in metrics.items()
        if metric["type"] == "cumulative"
    }
    out = {}
    for mart, node in sorted(marts.items()):
        semantic_model = model_of.get(mart)
        own = []
        if semantic_model is not None:
            own_measures = {m["name"] for m in semantic_model["measures"]}
            for name, metric in metrics.items():
                sql = metric_sql(name, metrics, measures, lambda m, own=own_measures: own_expression(m, own))
                if sql is not None:
                    own.append(superset_metric(name, metric, sql))
        columns = [
            column(name, spec.get("data_type"), spec.get("description", "")) for name, spec in node["columns"].items()
        ]
        if semantic_model is not None:
            time_column = semantic_model["defaults"]["agg_time_dimension"]
        else:
            time_column = next((c["column_name"] for c in columns if c["is_dttm"]), None)
        out[mart] = dataset(mart, (node.get("description") or "").strip(), columns, own, time_column=time_column)

    key = []
    for name, metric in metrics.items():
        sql = metric_sql(name, metrics, measures, lambda m: m["name"], lambda c: f"MAX({c})")
        if sql is None:
            continue
        note = "By day (a trailing window, read from its daily mart)." if reads_a_window(metric, metrics) else ""
        key.append(superset_metric(name, metric, sql, note))
    key_columns = [column("metric_time", "date", "The day a row counts on: the time dimension of its semantic model.")]
    key_columns += [
        column(name, None, f"Per-row value of measure {name} ({measures[name]['semantic_model']}), null on other rows.")
        for name in measures
    ]
    key_columns += [
        column(name, None, f"{name} of the day from {mart}, once its {days}-day window is full; null on other rows.")
        for name, (mart, days) in cumulative.items()
    ]
    out[KEY_METRICS] = dataset(
        KEY_METRICS,
        "The semantic layer's metrics over one dataset: every semantic model's rows with the day they count on "
        "(metric_time), so each metric is an aggregate at any time grain and ratios are ratios of sums.",
        key_columns,
        key,
        sql=key_metrics_sql(models, measures, MARTS_SCHEMA, cumulative),
        time_column="metric_time",
    )
    return out


# ---------------------------------------------------------------------------------------------------------------
# Charts and the dashboard


def adhoc(sql: str, label: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": sql, "label": label, "hasCustomLabel": True}


def chart(key: str, name: str, dataset_name: str, viz_type: str, params: dict) -> dict:
    return {
        "slice_name": name,
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": viz_type,
        "params": {"viz_type": viz_type, "adhoc_filters": [], "extra_form_data": {}, **params},
        "query_context": None,
        "cache_timeout": None,
        "uuid": object_uuid("chart", key),
        "version": "1.0.0",
        "dataset_uuid": object_uuid("dataset", dataset_name),
    }


# The first row: the as-of day's headline numbers, each against the day before (metric: tile title).
TILES = {
    "uv": "Visitors 访客数",
    "sessions": "Sessions 会话数",
    "orders": "Orders 订单数",
    "revenue": "Revenue 销售额",
    "conversion_rate": "Conversion 转化率",
    "aov": "AOV 客单价",
}


LINE, BAR = "echarts_timeseries_line", "echarts_timeseries_bar"


def timeseries(kind: str, metrics: list, grain: str, y_format: str, **extra) -> dict:
    return {
        "x_axis": "metric_time",
        "time_grain_sqla": grain,
        "metrics": metrics,
        "groupby": [],
        "row_limit": 10000,
        "show_legend": True,
        "legendOrientation": "top",
        "rich_tooltip": True,
        "y_axis_format": y_format,
        "x_axis_time_format": "smart_date",
        "seriesType": kind,
        **extra,
    }


def tile(name: str, d3format: str) -> dict:
    """A headline tile: the last day's value, its change against the day before, the trend."""
    return {
        "x_axis": "metric_time",
        "time_grain_sqla": "P1D",
        "metric": name,
        "compare_lag": 1,
        "compare_suffix": "vs day before 较前日",
        "show_trend_line": True,
        "start_y_axis_at_zero": True,
        # the day the number is of: the as-of day, or the last day with a value when the as-of day has none
        "show_timestamp": True,
        "time_format": "%Y-%m-%d",
        "y_axis_format": d3format,
        "header_font_size": 0.3,
        "subheader_font_size": 0.125,
        "rolling_type": "None",
    }


CHANNELS = {
    "query_mode": "aggregate",
    "groupby": ["channel_group"],
    "metrics": ["sessions", "bounce_rate"],
    "timeseries_limit_metric": "sessions",
    "order_desc": True,
    "row_limit": 50,
    "server_page_length": 10,
    "show_cell_bars": True,
}
FUNNEL = {
    "groupby": ["step_zh"],
    "metric": adhoc("SUM(sessions_reached)", "sessions reached 到达会话"),
    "row_limit": 10,
    "sort_by_metric": True,
    "percent_calculation_type": "first_step",
    "number_format": ",d",
    "show_labels": True,
    "show_legend": True,
    "legendOrientation": "top",
    "show_tooltip_labels": True,
}
COHORTS = {
    "x_axis": "month_offset",
    "groupby": "cohort_month",
    "metric": adhoc("1.0 * SUM(retained_users) / NULLIF(SUM(cohort_size), 0)", "retention 留存率"),
    # Month 0 is 100 % by definition: left out so the colours spread over the months that differ.
    "adhoc_filters": [
        {"clause": "WHERE", "expressionType": "SIMPLE", "subject": "month_offset", "operator": ">", "comparator": 0}
    ],
    "row_limit": 10000,
    "normalize_across": "heatmap",
    "linear_color_scheme": "superset_seq_1",
    "legend_type": "continuous",
    "show_legend": True,
    "show_values": True,
    "show_percentage": False,
    "y_axis_format": ".0%",
    "sort_x_axis": "alpha_asc",
    "sort_y_axis": "alpha_asc",
    "xscale_interval": -1,
    "yscale_interval": -1,
    "left_margin": 80,
    "bottom_margin": "auto",
    "value_bounds": [None, None],
    "x_axis_time_format": "%Y-%m",
}
RFM_LAYERS = {
    "x_axis": "layer_zh",
    "metrics": [adhoc("SUM(users)", "users 用户数")],
    "groupby": [],
    "orientation": "horizontal",
    "row_limit": 50,
    "show_legend": False,
    "y_axis_format": ",d",
    "x_axis_sort_asc": True,
    "show_value": True,
}
CHURN_LIST = {
    "query_mode": "raw",
    "all_columns": [
        "user_id",
        "risk_level",
        "lifecycle_status",
        "churn_probability",
        "days_since_last_visit",
        "reasons",
    ],
    "order_by_cols": [json.dumps(["churn_probability", False])],
    "row_limit": 20,
    "server_page_length": 20,
    "column_config": {"churn_probability": {"d3NumberFormat": ".1%"}},
}


def charts(key_metrics: dict) -> list[tuple[dict, int, int]]:
    """(chart, width of 12, height) in dashboard order; a new row starts when the widths pass 12."""
    formats = {m["metric_name"]: m["d3format"] for m in key_metrics["metrics"]}
    tiles = [
        (chart(f"tile_{name}", title, KEY_METRICS, "big_number", tile(name, formats[name])), 2, 30)
        for name, title in TILES.items()
    ]
    key = KEY_METRICS
    return tiles + [
        (chart("trend_visitors", "Visitors and sessions by week 周访客与会话", key, LINE,
               timeseries("line", ["uv", "sessions", "buyers"], "P1W", ",d")), 6, 50),
        (chart("trend_revenue", "Revenue by week 周销售额", key, BAR,
               timeseries("bar", ["revenue"], "P1W", ",.0f")), 6, 50),
        (chart("trend_rates", "Conversion and bounce rate by week 周转化率与跳出率", key, LINE,
               timeseries("line", ["conversion_rate", "bounce_rate"], "P1W", ".1%")), 6, 50),
        (chart("stickiness", "Stickiness DAU/MAU by day 日粘性", key, LINE,
               timeseries("line", ["stickiness"], "P1D", ".1%")), 6, 50),
        (chart("channels", "Sessions and bounce rate by channel 渠道会话与跳出率", "fct_sessions", "table", CHANNELS),
         6, 50),
        (chart("funnel", "Purchase funnel 购买漏斗", "funnel_daily", "funnel", FUNNEL), 6, 50),
        (chart("cohorts", "Monthly cohort retention 月留存", "cohort_retention", "heatmap_v2", COHORTS), 6, 50),
        (chart("rfm_layers", "RFM value layers 用户价值分层", "rfm_layer_summary", BAR, RFM_LAYERS), 6, 50),
        (chart("churn_list", "Churn warning: top 20 流失预警", "user_churn_warning", "table", CHURN_LIST), 12, 60),
    ]  # fmt: skip


def dashboard(placed: list[tuple[dict, int, int]]) -> dict:
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]},
        "GRID_ID": {"id": "GRID_ID", "type": "GRID", "parents": ["ROOT_ID"], "children": []},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": DASHBOARD_TITLE}},
    }
    rows: list[list[tuple[dict, int, int]]] = [[]]
    for item in placed:
        if sum(width for _, width, _ in rows[-1]) + item[1] > 12:
            rows.append([])
        rows[-1].append(item)
    for number, row in enumerate(rows):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "id": row_id,
            "type": "ROW",
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
            "children": [],
        }
        for the_chart, width, height in row:
            chart_id = f"CHART-{the_chart['uuid'][:8]}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "id": chart_id,
                "type": "CHART",
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "children": [],
                # chartId is a placeholder the import replaces with the chart's id (it skips a dashboard without)
                "meta": {
                    "uuid": the_chart["uuid"],
                    "chartId": len(position),
                    "sliceName": the_chart["slice_name"],
                    "width": width,
                    "height": height,
                },
            }
    return {
        "dashboard_title": DASHBOARD_TITLE,
        "description": None,
        "css": "",
        "slug": DASHBOARD_SLUG,
        "certified_by": "",
        "certification_details": "",
        "published": True,
        "uuid": object_uuid("dashboard", DASHBOARD_SLUG),
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "cross_filters_enabled": False,
            "native_filter_configuration": [],
            "refresh_frequency": 0,
            "expanded_slices": {},
            "timed_refresh_immune_slices": [],
            "label_colors": {},
            "shared_label_colors": [],
            "color_scheme_domain": [],
            "chart_configuration": {},
            "global_chart_configuration": {},
            "default_filters": "{}",
        },
        "version": "1.0.0",
    }


def database(uri: str) -> dict:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": uri,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {"allows_virtual_table_explore": True},
        "uuid": object_uuid("database", DATABASE_NAME),
        "version": "1.0.0",
    }


def duckdb_uri(published: pathlib.Path) -> str:
    return f"duckdb:///{published.resolve()}?access_mode=read_only"


def write_bundle(out: pathlib.Path, target: pathlib.Path, uri: str) -> dict:
    """Write the import bundle to `out` (replaced whole); returns what it holds by kind."""
    if out.exists():
        shutil.rmtree(out)
    every_dataset = datasets(target)
    placed = charts(every_dataset[KEY_METRICS])
    files = {
        "metadata.yaml": {"version": "1.0.0", "type": "Dashboard", "timestamp": "2026-01-01T00:00:00+00:00"},
        f"databases/{DATABASE_NAME}.yaml": database(uri),
        f"dashboards/{DASHBOARD_SLUG}.yaml": dashboard(placed),
    }
    for name, spec in every_dataset.items():
        files[f"datasets/{DATABASE_NAME}/{name}.yaml"] = spec
    for the_chart, _, _ in placed:
        files[f"charts/{the_chart['uuid']}.yaml"] = the_chart
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=120))
    return {"datasets": sorted(every_dataset), "charts": [c["slice_name"] for c, _, _ in placed]}


# ---------------------------------------------------------------------------------------------------------------
# Superset's own environment


def venv() -> pathlib.Path:
    return pathlib.Path(os.environ.get("UW_SUPERSET_VENV", project.root() / ".venv-superset"))


def home() -> pathlib.Path:
    return pathlib.Path(os.environ.get("SUPERSET_HOME", project.root() / ".superset"))


def lock_file() -> pathlib.Path:
    return project.root() / "requirements" / "superset.txt"


def install() -> pathlib.Path:
    """Superset's environment from the lock file, made again only when the lock changes (kept like any package)."""
    import hashlib

    lock = lock_file()
    marker = venv() / ".installed"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if marker.exists() and marker.read_text() == wanted:
        return venv()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv())], check=True)
    subprocess.run(
        [
            str(venv() / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(lock),
        ],
        check=True,
    )
    marker.write_text(wanted)
    return venv()


def superset_env(superset_home: pathlib.Path) -> dict:
    return {
        **os.environ,
        "SUPERSET_HOME": str(superset_home),
        "SUPERSET_CONFIG_PATH": str(superset_home / "superset_config.py"),
        "FLASK_APP": "superset",
    }


def write_config(superset_home: pathlib.Path) -> None:
    """superset_config.py with a key of its own (made once, kept) and the metadata database in the home folder."""
    superset_home.mkdir(parents=True, exist_ok=True)
    config = superset_home / "superset_config.py"
    if config.exists():
        return
    config.write_text(
        "# Written by `uw superset setup` (docs/bi.md#apache-superset); kept between setups.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
        f"SQLALCHEMY_DATABASE_URI = {('sqlite:///' + str(superset_home.resolve() / 'superset.db'))!r}\n"
        "# Local use on 127.0.0.1 only: no form tokens, no telemetry, no example data.\n"
        "WTF_CSRF_ENABLED = False\n"
        "FEATURE_FLAGS = {}\n"
        "SUPERSET_LOAD_EXAMPLES = False\n"
        "SCARF_ANALYTICS = False\n"
    )
    config.chmod(0o600)


def admin_password(superset_home: pathlib.Path) -> str:
    """$SUPERSET_ADMIN_PASSWORD, else one made on the first setup and kept in the home folder (mode 600)."""
    given = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if given:
        return given
    stored = superset_home / "admin-password"
    if not stored.exists():
        stored.write_text(secrets.token_urlsafe(12))
        stored.chmod(0o600)
    return stored.read_text().strip()


def run_superset(args: list[str], superset_home: pathlib.Path) -> None:
    binary = venv() / "bin" / "superset"
    if not binary.exists():
        raise SystemExit(f"uw superset: no Superset at {binary}: run `make superset` first (docs/bi.md)")
    result = subprocess.run([str(binary), *args], env=superset_env(superset_home), capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-3000:]
        raise SystemExit(f"uw superset: `superset {' '.join(args[:2])}` failed:\n{output}")


def setup(superset_home: pathlib.Path, uri: str, target: pathlib.Path, user: str) -> dict:
    """Make (or update) the Superset home: metadata database, admin user, the bundle imported."""
    write_config(superset_home)
    run_superset(["db", "upgrade"], superset_home)
    password = admin_password(superset_home)
    run_superset(
        [
            "fab",
            "create-admin",
            "--username",
            user,
            "--firstname",
            "Admin",
            "--lastname",
            "User",
            "--email",
            f"{user}@localhost",
            "--password",
            password,
        ],
        superset_home,
    )
    run_superset(["init"], superset_home)
    held = write_bundle(superset_home / "bundle", target, uri)
    run_superset(["import-directory", "--overwrite", str(superset_home / "bundle")], superset_home)
    return held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw superset", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install")
    for name in ("bundle", "setup"):
        command = commands.add_parser(name)
        command.add_argument(
            "--postgres",
            metavar="URI",
            help="read the marts on PostgreSQL (postgresql+psycopg2://bi_reader:...@host/db) "
            "instead of the published DuckDB file",
        )
        command.add_argument(
            "--target-path",
            type=pathlib.Path,
            default=None,
            help="dbt's target folder with manifest.json and semantic_manifest.json",
        )
        if name == "bundle":
            command.add_argument("--out", type=pathlib.Path, required=True)
        else:
            command.add_argument("--user", default="admin")
    serve = commands.add_parser("serve")
    serve.add_argument("--port", type=int, default=8088)
    args = parser.parse_args(argv)

    if args.command == "install":
        print(f"Superset's environment: {install()}")
        return 0
    if args.command == "serve":
        # 127.0.0.1 only: the instance is for the person at this machine.
        binary = venv() / "bin" / "superset"
        if not binary.exists() or not (home() / "superset_config.py").exists():
            print("uw superset: run `make superset` first (docs/bi.md#apache-superset)", file=sys.stderr)
            return 2
        os.execve(
            str(binary),
            [str(binary), "run", "-h", "127.0.0.1", "-p", str(args.port), "--with-threads"],
            superset_env(home()),
        )
    target = args.target_path or project.target_path()
    for needed in ("manifest.json", "semantic_manifest.json"):
        if not (target / needed).exists():
            print(f"uw superset: {target / needed} is missing: run `uw build` (or dbt parse) first", file=sys.stderr)
            return 2
    published = project.publish_dir() / PUBLISHED_FILE
    uri = args.postgres or duckdb_uri(published)
    if args.command == "bundle":
        held = write_bundle(args.out, target, uri)
    else:
        if not args.postgres and not published.exists():
            print(f"uw superset: {published} is missing: run `uw build` first", file=sys.stderr)
            return 2
        held = setup(home(), uri, target, args.user)
        print(
            f"Superset ready in {home()}: {len(held['datasets'])} datasets, {len(held['charts'])} charts.\n"
            f"Start it with `uw superset serve` (http://127.0.0.1:8088/superset/dashboard/{DASHBOARD_SLUG}/), "
            f"user {args.user}, password in {home() / 'admin-password'} unless $SUPERSET_ADMIN_PASSWORD is set."
        )
        return 0
    print(f"{args.out}: {len(held['datasets'])} datasets, {len(held['charts'])} charts")
    return 0
