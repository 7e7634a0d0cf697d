"""Rules live once (issue 11): rule lists come from the reference seeds, so a
new channel is seed rows only, and no yml copies a seed's list."""

from __future__ import annotations

import csv
import os
import pathlib
import re
import subprocess
import sys

import duckdb
import yaml

from user_warehouse import validate as validate_marts

from conftest import ROOT, TEST_PII_SALT, append_row, project_copy

SEED_LISTS = {
    "channel_groups": "channel_group",
    "lifecycle_statuses": "lifecycle_status",
    "journey_stages": "stage",
    "rfm_layers": "layer",
    "membership_tiers": "tier",
    "tag_groups": "tag_group",
}


def _seed_values(seed: str, column: str) -> set[str]:
    with open(ROOT / "seeds" / "reference" / f"{seed}.csv", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def test_no_yml_copies_a_seed_list() -> None:
    lists = {seed: _seed_values(seed, column) for seed, column in SEED_LISTS.items()}
    copies = []
    for path in sorted((ROOT / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []) or []:
            for column in model.get("columns", []) or []:
                for test in column.get("data_tests", []) or []:
                    if isinstance(test, dict) and "accepted_values" in test:
                        values = test["accepted_values"]["arguments"]["values"]
                        if isinstance(values, list):
                            copied = [
                                seed
                                for seed, seed_values in lists.items()
                                if len(set(map(str, values)) & seed_values) >= 2
                            ]
                            if copied:
                                copies.append(f"{model['name']}.{column['name']} copies seed {copied[0]}")
    assert copies == []


def _build(project: pathlib.Path, db: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PII_SALT": TEST_PII_SALT, "DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(project)}
    dbt = pathlib.Path(sys.executable).with_name("dbt")
    return subprocess.run([str(dbt), "build", *args], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_a_new_channel_tag_and_funnel_step_are_seed_rows_only(tmp_path) -> None:
    """The issue's bar: one seed row each (two for a channel: its group and its rule), no SQL, no yml."""
    project = project_copy(tmp_path / "project")
    reference = project / "seeds" / "reference"
    append_row(
        reference / "channel_groups.csv",
        {"channel_group": "Mini Program", "channel_group_zh": "小程序", "description": "WeChat mini programs"},
    )
    append_row(
        reference / "channel_rules.csv",
        {
            "rule_order": 15,
            "channel_group": "Mini Program",
            "source_pattern": "",
            "medium_pattern": "^mini_?program$",
            "referrer_pattern": "",
            "example_source": "wechat",
            "example_medium": "miniprogram",
            "example_referrer": "",
            "description": "utm_medium miniprogram",
        },
    )
    append_row(
        reference / "tag_definitions.csv",
        {
            "tag_id": "sharer",
            "tag_group": "behaviour",
            "tag_name": "Sharer",
            "tag_name_zh": "分享达人",
            "description": "Share events in the window at least the threshold",
            "rule": "event_count",
            "match_column": "event_type",
            "match_pattern": "^share$",
            "threshold": 1,
            "window_days": 365,
        },
    )
    append_row(
        reference / "funnel_steps.csv",
        {"step_order": 5, "step": "review", "step_zh": "评价", "event_type": "review", "description": "… and reviewed"},
    )
    db = tmp_path / "w.duckdb"
    result = _build(project, db)
    assert result.returncode == 0, result.stdout[-3000:]
    summaries = validate_marts.validate(db, tmp_path / "out")
    assert [s["suite"] for s in summaries if s["failed"]] == []
    with duckdb.connect(str(db), read_only=True) as con:
        sharers = con.execute("select count(*) from marts.user_tags where tag_id = 'sharer'").fetchone()[0]
        in_summary = con.execute("select users from marts.tag_summary where tag_id = 'sharer'").fetchone()
        steps = con.execute(
            "select step, sum(sessions_reached) from marts.funnel_daily group by step_order, step order by step_order"
        ).fetchall()
    assert sharers > 0 and in_summary == (sharers,)
    assert [step for step, _ in steps] == ["page_view", "add_to_cart", "checkout", "purchase", "review"]
    assert all(a >= b for (_, a), (_, b) in zip(steps, steps[1:], strict=False)), steps


def test_a_tag_the_rules_cannot_read_fails_naming_it(tmp_path) -> None:
    """A seed row that would silently tag nobody stops the build, and the message names the tag."""
    project = project_copy(tmp_path / "project")
    tags = project / "seeds" / "reference" / "tag_definitions.csv"
    for row, expected in [
        ({"rule": "mystery_rule"}, "tag new_tag: rule 'mystery_rule' is not a rule shape"),
        (
            {"rule": "profile_match", "match_column": "shoe_size", "match_pattern": "^4[0-9]$"},
            "tag new_tag: rule profile_match cannot match column 'shoe_size'",
        ),
        ({"rule": "order_count", "window_days": 30}, "tag new_tag: rule order_count needs threshold"),
    ]:
        original = tags.read_text()
        append_row(tags, {"tag_id": "new_tag", "tag_group": "value", "tag_name": "New", "tag_name_zh": "新", **row})
        result = _build(project, tmp_path / "w.duckdb", "--select", "tag_definitions", "assert_every_tag_has_a_rule")
        tags.write_text(original)
        assert result.returncode != 0
        assert expected in result.stdout, result.stdout[-2000:]


def test_a_journey_stage_without_a_rule_fails_naming_it(tmp_path) -> None:
    project = project_copy(tmp_path / "project")
    append_row(
        project / "seeds" / "reference" / "journey_stages.csv",
        {"stage_order": 9, "stage": "advocated", "stage_zh": "推荐", "description": "Wrote a public review"},
    )
    result = _build(
        project, tmp_path / "w.duckdb", "--select", "journey_stages", "assert_every_journey_stage_has_a_rule"
    )
    assert result.returncode != 0
    assert "stage advocated has no rule in int_user_journey_stages" in result.stdout, result.stdout[-2000:]


MACRO = re.compile(r"\{%-? macro (\w+)\((.*?)\) -?%\}(.*?)\{%-? endmacro -?%\}", re.S)


def test_engine_differences_live_in_dispatch_families_only() -> None:
    """target.type is read only by the engine families of macros/engines/ (yml configs, where dbt renders no
    macros, excepted), and no engine variant restates its default."""
    sql_files = [p for folder in ("models", "macros", "tests", "snapshots") for p in (ROOT / folder).rglob("*.sql")]
    readers = [
        str(p.relative_to(ROOT)) for p in sql_files if "target.type" in p.read_text() and p.parent.name != "engines"
    ]
    assert readers == []
    bodies = {name: " ".join(body.split()) for p in sql_files for name, _, body in MACRO.findall(p.read_text())}
    restated = [
        name
        for name, body in bodies.items()
        if (m := re.match(r"(?:duckdb|postgres|spark)__(\w+)$", name)) and bodies.get(f"default__{m.group(1)}") == body
    ]
    assert restated == []
    outside = [
        name
        for p in sql_files
        if p.parent.name != "engines"
        for name, _, body in MACRO.findall(p.read_text())
        if "adapter.dispatch" in body
    ]
    assert outside == []
