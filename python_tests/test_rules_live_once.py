"""Rules live once (issue 11): rule lists come from the reference seeds, so a
new channel is seed rows only, and no yml copies a seed's list."""

from __future__ import annotations

import csv
import os
import pathlib
import shutil
import subprocess
import sys

import yaml

import validate_marts
from conftest import ROOT, TEST_PII_SALT

SEED_LISTS = {
    "channel_groups": "channel_group", "lifecycle_statuses": "lifecycle_status", "journey_stages": "stage",
    "rfm_layers": "layer", "membership_tiers": "tier", "tag_groups": "tag_group",
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
                            copied = [seed for seed, seed_values in lists.items()
                                      if len(set(map(str, values)) & seed_values) >= 2]
                            if copied:
                                copies.append(f"{model['name']}.{column['name']} copies seed {copied[0]}")
    assert copies == []


def _project_copy(target: pathlib.Path) -> pathlib.Path:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _append_row(path: pathlib.Path, row: dict) -> None:
    with open(path, newline="") as handle:
        fields = next(csv.reader(handle))
    with open(path, "a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerow(row)


def test_a_new_channel_is_seed_rows_only(tmp_path) -> None:
    project = _project_copy(tmp_path / "project")
    reference = project / "seeds" / "reference"
    _append_row(reference / "channel_groups.csv",
                {"channel_group": "Mini Program", "channel_group_zh": "小程序", "description": "WeChat mini programs"})
    _append_row(reference / "channel_rules.csv",
                {"rule_order": 15, "channel_group": "Mini Program", "source_pattern": "", "medium_pattern":
                 "^mini_?program$", "referrer_pattern": "", "example_source": "wechat",
                 "example_medium": "miniprogram", "example_referrer": "", "description": "utm_medium miniprogram"})
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "PII_SALT": TEST_PII_SALT, "DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(project)}
    dbt = pathlib.Path(sys.executable).with_name("dbt")
    result = subprocess.run([str(dbt), "build"], cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:]
    summaries = validate_marts.validate(db, tmp_path / "out")
    assert [s["suite"] for s in summaries if s["failed"]] == []
