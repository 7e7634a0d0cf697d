"""Audiences as data (docs/audiences.md): rules are parsed, never pasted into SQL, with the usual precedence; a
wrong rule fails the build naming the audience; the exports hold no personal data in clear."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from user_warehouse import export as export_audiences

from conftest import ROOT, TEST_PII_SALT, append_row, project_copy, publish

A, B, C = "big_spender", "searcher", "night_owl"  # three tag ids of seed tag_definitions


def _dbt(project: pathlib.Path, db: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PII_SALT": TEST_PII_SALT, "DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(project)}
    return subprocess.run(
        [str(pathlib.Path(sys.executable).with_name("dbt")), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# a rule nested 35 brackets deep: a Python recursion error naming nothing, before a limit
DEEP_RULE = "(" * 35 + A + ")" * 35


@pytest.fixture(scope="module")
def checked_rules(tmp_path_factory) -> dict[str, dict]:
    """Each rule as `dbt run-operation check_audience_rules` parses it (problem, tags, SQL)."""
    db = tmp_path_factory.mktemp("rules") / "w.duckdb"
    assert _dbt(ROOT, db, "seed", "--select", "tag_definitions").returncode == 0
    rules = [
        f"{A} or {B} and not {C}",
        f"({A} or {B}) and not {C}",
        f"NOT {A} AND {B}",
        f"{A} and",
        f"({A} or {B}",
        f"{A} {B}",
        f"and {A}",
        f"{A})",
        "big_spendr or searcher",
        "",
        f"{A}; drop table x",
        DEEP_RULE,
        "not " * 35 + A,
        "(" * 19 + f"not {A}" + ")" * 19,
    ]
    result = _dbt(ROOT, db, "run-operation", "check_audience_rules", "--args", json.dumps({"rules": rules}))
    assert result.returncode == 0, result.stdout[-2000:]
    parsed = [json.loads(line[line.index("{") :]) for line in result.stdout.splitlines() if '"rule":' in line]
    return {p["rule"]: p for p in parsed}


def _members(sql: str) -> set[str]:
    with duckdb.connect() as con:
        con.execute("create table users as select * from (values ('u1'), ('u2'), ('u3'), ('u4')) as t(user_id)")
        con.execute(
            f"create table user_tags as select * from (values ('u1', '{A}'), ('u2', '{B}'), ('u3', '{B}'), "
            f"('u1', '{C}'), ('u3', '{C}')) as t(user_id, tag_id)"
        )
        return {row[0] for row in con.execute(sql).fetchall()}


def test_not_binds_tightest_then_and_then_or(checked_rules) -> None:
    # A = {u1}, B = {u2, u3}, C = {u1, u3}, users u1..u4
    assert _members(checked_rules[f"{A} or {B} and not {C}"]["sql"]) == {"u1", "u2"}  # A or (B and not C)
    assert _members(checked_rules[f"({A} or {B}) and not {C}"]["sql"]) == {"u2"}
    assert _members(checked_rules[f"NOT {A} AND {B}"]["sql"]) == {"u2", "u3"}  # keywords in any case
    assert checked_rules[f"{A} or {B} and not {C}"]["tags"] == [A, B, C]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (f"{A} and", "the rule ends where a tag, 'not' or '(' should follow 'and'"),
        (f"({A} or {B}", "a '(' is never closed"),
        (f"{A} {B}", f"unexpected '{B}' at word 2 (two operands need and or or between them)"),
        (f"and {A}", "unexpected 'and' at word 1 where a tag, 'not' or '(' should be"),
        (f"{A})", "unexpected ')' at word 2 (a closing parenthesis without its opening one)"),
        ("big_spendr or searcher", "unknown tag 'big_spendr'"),
        ("", "the rule is empty"),
        (f"{A}; drop table x", f"unknown tag '{A};'"),  # nothing but known tag ids reaches SQL
        (DEEP_RULE, "nested deeper than 20 brackets and nots (at word 21)"),
        ("not " * 35 + A, "nested deeper than 20 brackets and nots (at word 21)"),
    ],
)
def test_a_malformed_rule_or_an_unknown_tag_is_a_problem(checked_rules, rule, problem) -> None:
    assert checked_rules[rule]["sql"] is None
    assert checked_rules[rule]["problem"].startswith(problem), checked_rules[rule]["problem"]


def test_a_rule_nested_up_to_the_limit_parses(checked_rules) -> None:
    rule = "(" * 19 + f"not {A}" + ")" * 19
    assert checked_rules[rule]["problem"] is None
    assert _members(checked_rules[rule]["sql"]) == {"u2", "u3", "u4"}


def test_a_wrong_rule_fails_the_build_naming_each_audience(tmp_path) -> None:
    project = project_copy(tmp_path / "project")
    seed = project / "seeds" / "reference" / "audiences.csv"
    append_row(seed, {"audience_id": "half_written", "audience_name": "x", "rule": f"{A} and"})
    append_row(seed, {"audience_id": "misspelt", "audience_name": "y", "rule": "big_spendr or searcher"})
    append_row(seed, {"audience_id": "nested_deep", "audience_name": "z", "rule": DEEP_RULE})
    db = tmp_path / "w.duckdb"
    assert _dbt(project, db, "seed", "--select", "tag_definitions", "audiences").returncode == 0
    result = _dbt(project, db, "compile", "--select", "audience_members")
    assert result.returncode != 0
    assert f"audience 'half_written' (rule: {A} and): the rule ends where" in result.stdout, result.stdout[-2000:]
    assert "audience 'misspelt' (rule: big_spendr or searcher): unknown tag 'big_spendr'" in result.stdout
    assert f"audience 'nested_deep' (rule: {DEEP_RULE}): nested deeper than 20 brackets and nots" in result.stdout


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory) -> tuple[pathlib.Path, pathlib.Path]:
    """Audiences exported from the published marts of the shared demo build."""
    work = tmp_path_factory.mktemp("audiences")
    published = publish(demo, work / "pub")
    assert export_audiences.main(["--db", str(published), "--out", str(work / "out")]) == 0
    return published, work / "out"


def test_each_audience_exports_its_members_with_contact_hashed_and_masked_only(exported) -> None:
    published, out = exported
    with duckdb.connect(str(published), read_only=True) as con:
        sizes = dict(con.execute("select audience_id, members from marts.audience_sizes").fetchall())
    assert sizes and all(members > 0 for members in sizes.values())
    raw = pd.read_csv(ROOT / "seeds/raw/raw_users.csv", dtype=str)
    in_clear = {v for v in pd.concat([raw.email, raw.phone]).dropna() if len(v) >= 5}
    for audience_id, members in sizes.items():
        csv_frame = pd.read_csv(out / f"{audience_id}.csv", dtype=str, keep_default_na=False)
        parquet = pd.read_parquet(out / f"{audience_id}.parquet")
        assert list(csv_frame.columns) == list(parquet.columns) == export_audiences.EXPORT_COLUMNS
        assert len(csv_frame) == len(parquet) == members
        text = (out / f"{audience_id}.csv").read_text(encoding="utf-8")
        assert [value for value in in_clear if value in text] == []
        assert all(
            re.fullmatch(r"[0-9a-f]{64}|", v) for v in csv_frame.email_hash.tolist() + csv_frame.phone_hash.tolist()
        )
        assert all(re.fullmatch(r"\*+[0-9]{0,4}|", v) for v in csv_frame.phone_masked)
        assert not any(re.match(r"[^*@]{2,}@", v) for v in csv_frame.email_masked)


def test_recommendations_export_beside_the_audiences_with_contact_hashed_and_masked_only(exported) -> None:
    published, out = exported
    with duckdb.connect(str(published), read_only=True) as con:
        registered = con.execute(
            "select count(*) from marts.user_recommendations as lists"
            " inner join marts.dim_users as users on lists.person_id = users.user_id"
        ).fetchone()[0]
    csv_frame = pd.read_csv(out / "recommendations.csv", dtype=str, keep_default_na=False)
    parquet = pd.read_parquet(out / "recommendations.parquet")
    assert registered > 0 and len(csv_frame) == len(parquet) == registered
    assert list(csv_frame.columns) == [
        "user_id",
        "email_hash",
        "email_masked",
        "phone_hash",
        "phone_masked",
        "rank",
        "product_id",
        "category",
        "reason",
        "because_product_id",
    ]
    raw = pd.read_csv(ROOT / "seeds/raw/raw_users.csv", dtype=str)
    in_clear = {v for v in pd.concat([raw.email, raw.phone]).dropna() if len(v) >= 5}
    text = (out / "recommendations.csv").read_text(encoding="utf-8")
    assert [value for value in in_clear if value in text] == []
