"""Safe by default (docs/raw-contract.md, docs/rules/user-profile.md): personal data that stays private, settings and
files that cannot mislead, and a published warehouse that BI tools read while
dbt builds. Each test names the case it covers."""

from __future__ import annotations

import hashlib
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from user_warehouse import generate as gen

from conftest import ROOT, TEST_PII_SALT, run_dbt

SECRET_SALT = "s4lt-0f-th3-t3st-8f3a9c1e77"


def _query(db: pathlib.Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def raw_csv(tmp_path_factory) -> pathlib.Path:
    folder = tmp_path_factory.mktemp("raw") / "csv"
    gen.generate(400, folder, "csv", seed=5, dirty=0.0)
    return folder


def _copy(src: pathlib.Path, dst: pathlib.Path) -> pathlib.Path:
    shutil.copytree(src, dst)
    (dst / "_manifest.json").unlink()
    return dst


# --- 1. personal data -----------------------------------------------------------------------------


TYPED_PERSONAL_DATA = [
    ("search_term", "call 138 0013 8000"),
    ("search_term", "+86-138-0013-8000 回电"),
    ("search_term", "手机１３８００１３８０００"),
    ("search_term", "0086 13800138000"),
    ("search_term", "john.doe＠gmail．com"),
    ("search_term", "x" * 200_000),
    ("page_url", "/account?mail=john.doe%40gmail.com&step=2"),
    ("page_url", "/contact?tel=138-0013-8000"),
    ("utm_campaign", "spring/john.doe%40gmail.com"),
    ("utm_source", "sms_13800138000"),
    # the cheap test before the patterns (may_hold_personal_data) must let these through:
    # a full-width escape of @, and escaped separators whose digits sit between the number's
    ("search_term", "john.doe％４０gmail.com"),
    ("page_url", "/c?tel=138%20%200013%2B8000"),
]


@pytest.fixture(scope="module")
def salted_build(raw_csv, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("salted")
    raw = _copy(raw_csv, work / "raw")
    events = pd.read_csv(raw / "raw_events.csv", dtype=str)
    # an ordinary event to copy: the very first one may belong to a leading stray user (rejected as outlier)
    first = events.iloc[len(events) // 2].to_dict()
    extra = [
        {**first, "event_id": "pii-1", "event_type": "search", "search_term": "手机 13912345678 回电"},
        {
            **first,
            "event_id": "pii-2",
            "event_type": "page_view",
            "page_url": "/contact?mail=ann.lee@example.com",
            "anonymous_id": "pii-device",
            "user_id": None,
        },
    ]
    # personal data as people type it (issue 25 case 8): each in a search term, a URL and a campaign
    for number, (column, text) in enumerate(TYPED_PERSONAL_DATA):
        extra.append({**first, "event_id": f"typed-{number}", "event_type": "search", column: text})
    pd.concat([events, pd.DataFrame(extra)]).to_csv(raw / "raw_events.csv", index=False)
    db = work / "w.duckdb"
    env = {"PII_SALT": SECRET_SALT}
    vars_ = {"raw_source": "files", "raw_path": str(raw)}
    result = run_dbt(["build"], db, vars_, work, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    compiled = run_dbt(["compile"], db, vars_, work / "compile", env=env)
    assert compiled.returncode == 0, compiled.stdout[-3000:]
    return {"db": db, "work": work, "raw": raw, "outputs": result.stdout + compiled.stdout}


def test_case1_the_salt_never_appears_in_sql_artifacts_or_logs(salted_build) -> None:
    assert SECRET_SALT not in salted_build["outputs"]
    leaks = [
        str(path)
        for path in salted_build["work"].rglob("*")
        if path.is_file() and path.suffix != ".duckdb" and SECRET_SALT.encode() in path.read_bytes()
    ]
    assert leaks == []
    users = pd.read_csv(salted_build["raw"] / "raw_users.csv", dtype=str).dropna(subset=["email"])
    user_id, email = users.iloc[0]["user_id"], users.iloc[0]["email"].strip().lower()
    stored = _query(salted_build["db"], f"select email_hash from marts.dim_users where user_id = '{user_id}'")[0][0]
    assert stored == hashlib.sha256((SECRET_SALT + email).encode()).hexdigest()


def test_case1_masks_keep_at_most_the_last_four_digits(salted_build) -> None:
    masks = [
        m
        for (m,) in _query(
            salted_build["db"], "select phone_masked from marts.dim_users where phone_masked is not null"
        )
    ]
    assert masks and all(re.fullmatch(r"\*+[0-9]{0,4}", m) for m in masks)


def test_case1_free_text_is_scrubbed_before_any_mart(salted_build) -> None:
    db = salted_build["db"]
    assert _query(db, "select search_term from marts.fct_events where event_id = 'pii-1'") == [("手机 [phone] 回电",)]
    assert _query(db, "select page_url from marts.fct_events where event_id = 'pii-2'") == [("/contact?mail=[email]",)]
    assert _query(db, "select landing_page from marts.fct_sessions where anonymous_id = 'pii-device'") == [
        ("/contact?mail=[email]",)
    ]
    assert _query(db, "select count(*) from marts.search_terms_top where search_term like '%139%'") == [(0,)]


def test_case1_personal_data_however_typed_is_scrubbed_before_any_mart(salted_build) -> None:
    db = salted_build["db"]
    columns = ("search_term", "page_url", "utm_campaign", "utm_source")
    rows = _query(db, f"select event_id, {', '.join(columns)} from marts.fct_events where event_id like 'typed-%'")
    stored = {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows}
    assert len(stored) == len(TYPED_PERSONAL_DATA)
    for number, (column, text) in enumerate(TYPED_PERSONAL_DATA[:5]):
        assert "[phone]" in stored[f"typed-{number}"][column] or "[email]" in stored[f"typed-{number}"][column], text
    assert stored["typed-6"]["page_url"] == "/account?mail=[email]&step=2"
    assert stored["typed-7"]["page_url"] == "/contact?tel=[phone]"
    assert stored["typed-8"]["utm_campaign"] == "spring/[email]"
    assert stored["typed-9"]["utm_source"] == "sms_[phone]"
    assert stored["typed-10"]["search_term"] == "[email]"
    assert stored["typed-11"]["page_url"] == "/c?tel=[phone]"
    leaks = _query(
        db,
        "select search_term from marts.search_terms_top where regexp_matches(search_term, '138|１３８|gmail|%40')",
    )
    assert leaks == []


def test_case10_free_text_beyond_its_limit_is_nulled_and_counted(salted_build) -> None:
    """A 200,000-character search term (typed-5) reaches no mart; data_quality_nulled_values counts it."""
    db = salted_build["db"]
    assert _query(db, "select search_term from marts.fct_events where event_id = 'typed-5'") == [(None,)]
    assert _query(db, "select max(length(search_term)) <= 200 from marts.search_terms_top") == [(True,)]
    assert _query(
        db,
        "select nulled_rows from marts.data_quality_nulled_values"
        " where relation = 'raw_events' and column_name = 'search_term' and reason = 'too_long'",
    ) == [(1,)]


def test_case1_the_staging_check_catches_a_number_inside_text(salted_build) -> None:
    """The check on staging (test no_personal_data) runs before marts; shown here to fail on a leak."""
    compiled = next(salted_build["work"].glob("target/compiled/**/no_personal_data_stg_events_*.sql"))
    sql = compiled.read_text()
    relation = re.search(r'from\s+("[^"]+"\."staging"\."stg_events")', sql).group(1)
    with duckdb.connect(str(salted_build["db"])) as con:
        con.execute("create temp table leak as select * from staging.stg_events limit 0")
        con.execute("insert into leak (event_id, search_term) values ('x', '手机 13912345678 回电')")
        assert len(con.execute(sql.replace(relation, "leak")).fetchall()) == 1
        # and each way of typing personal data, alone
        for column, text in TYPED_PERSONAL_DATA:
            con.execute("delete from leak")
            con.execute(f"insert into leak (event_id, {column}) values ('x', ?)", [text])
            assert len(con.execute(sql.replace(relation, "leak")).fetchall()) == (0 if text.startswith("xxx") else 1), (
                text
            )


def test_case1_no_salt_outside_the_demo_stops_the_build(raw_csv, tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    result = run_dbt(["build"], db, {"raw_source": "files", "raw_path": str(raw_csv)}, env={"PII_SALT": None})
    assert result.returncode != 0
    assert "env var PII_SALT is not set" in result.stdout and "export PII_SALT=" in result.stdout
    assert "OK created" not in result.stdout


# --- 2. settings ----------------------------------------------------------------------------------


def test_case2_injection_through_raw_path_fails_cleanly_and_creates_nothing(tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    crafted = "x'); create table main.pwned as select 1; --"
    result = run_dbt(["build"], db, {"raw_source": "files", "raw_path": crafted})
    assert result.returncode != 0
    assert "var raw_path is" in result.stdout
    if db.exists():
        assert _query(db, "select count(*) from information_schema.tables where table_name = 'pwned'") == [(0,)]


def test_case2_any_folder_or_file_name_works(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "we ird[1]'s {x}")
    decoy = _copy(raw_csv, tmp_path / "decoy")
    (decoy / "raw_orders.csv").write_text("order_id,user_id,ordered_at,status,amount\n")
    db = tmp_path / "exports.v2" / "my-warehouse.duckdb"
    db.parent.mkdir()
    result = run_dbt(["build"], db, {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode == 0, result.stdout[-3000:]
    read_from = dict(_query(db, "select relation, read_from from marts.data_quality_staging"))
    assert read_from["raw_orders"] == str(raw / "raw_orders.csv")
    star = run_dbt(["build"], tmp_path / "star.duckdb", {"raw_source": "files", "raw_path": str(tmp_path / "*")})
    assert star.returncode != 0 and "var raw_path is" in star.stdout


def test_case2_every_bad_var_is_named_on_its_own_line_before_any_model(tmp_path) -> None:
    bad = {
        "session_timeout_minutes": "abc",
        "source_timezone": "Asia/Shangai",
        "as_of_date": "2024-13-45",
        "pareto_top_share": 3,
    }
    result = run_dbt(["build"], tmp_path / "w.duckdb", bad)
    assert result.returncode != 0
    for line in [
        "var session_timeout_minutes is 'abc'; it must be a whole number >= 1",
        "var source_timezone is 'Asia/Shangai', which is not a time zone name",
        "var as_of_date is '2024-13-45'; it must be a date written YYYY-MM-DD",
        "var pareto_top_share is '3'; it must be a share between 0 and 1",
    ]:
        assert line in result.stdout
    assert "OK created" not in result.stdout and "Traceback" not in result.stdout


def test_case2_a_missing_required_column_stops_the_run_before_any_model(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    orders = pd.read_csv(raw / "raw_orders.csv", dtype=str).drop(columns=["amount"])
    orders.to_csv(raw / "raw_orders.csv", index=False)
    result = run_dbt(["build"], tmp_path / "w.duckdb", {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode != 0
    assert "raw relation raw_orders has no column 'amount'" in result.stdout
    assert "OK created" not in result.stdout


# --- 3. files -------------------------------------------------------------------------------------


def test_case3_files_are_found_by_name_case_and_kind_and_only_those_are_read(raw_csv, tmp_path) -> None:
    """Discovery and reading agree (docs/raw-contract.md#files): a part named PART-1.CSV is read, and a stray
    part-0.csv.orig (a copy: duplicates if read) or part-2.csv.partial (a half-written download) is not, but listed
    as skipped in the build log and in data_quality_files."""
    raw = _copy(raw_csv, tmp_path / "raw")
    (raw / "raw_feedback.csv").rename(raw / "RAW_FEEDBACK.CSV")
    subprocess.run(["gzip", str(raw / "raw_orders.csv")], check=True)
    events = pd.read_csv(raw / "raw_events.csv", dtype=str)
    (raw / "raw_events.csv").unlink()
    parts = raw / "raw_events"
    parts.mkdir()
    half = len(events) // 2
    events.iloc[:half].to_csv(parts / "part-0.csv", index=False)
    events.iloc[half:].to_csv(parts / "PART-1.CSV", index=False)
    shutil.copy(parts / "part-0.csv", parts / "part-0.csv.orig")
    events.iloc[:30].assign(event_id=lambda f: "partial-" + f["event_id"]).to_csv(
        parts / "part-2.csv.partial", index=False
    )
    db = tmp_path / "w.duckdb"
    result = run_dbt(["build"], db, {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode == 0, result.stdout[-3000:]
    books = {r[0]: r[1:] for r in _query(db, "select relation, read_from, raw_rows from marts.data_quality_staging")}
    manifest = gen.json.loads((raw_csv / "_manifest.json").read_text())["rows"]
    for relation, rows in manifest.items():
        assert books[relation][1] == rows, relation
    assert books["raw_events"][0] == str(parts) + "/"
    assert books["raw_orders"][0].endswith("raw_orders.csv.gz")
    assert books["raw_feedback"][0].endswith("RAW_FEEDBACK.CSV")
    assert _query(db, "select count(*) from staging.stg_events_rejects where reject_reason = 'duplicate_key'") == [(0,)]
    seen = _query(db, "select read_from, relation, status, reason from marts.data_quality_files")
    files = {r[0]: r[1:] for r in seen}
    assert files[str(parts / "PART-1.CSV")] == ("raw_events", "read", None)
    for stray in ("part-0.csv.orig", "part-2.csv.partial"):
        assert files[str(parts / stray)] == ("raw_events", "skipped", "not a .csv, .csv.gz or .parquet file")
        assert f"skipped {parts / stray}" in result.stdout


def _empty_part(raw: pathlib.Path) -> None:
    (raw / "raw_events").mkdir()
    (raw / "raw_events.csv").rename(raw / "raw_events" / "part-0.csv")
    (raw / "raw_events" / "part-1.csv").write_text("")


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (lambda raw: (raw / "raw_orders.csv").rename(raw / "raw_order.csv"), "raw_order.csv looks like raw data"),
        (
            lambda raw: pd.read_csv(raw / "raw_orders.csv", dtype=str).to_parquet(raw / "raw_orders.parquet"),
            "relation raw_orders has 2 candidates",
        ),
        (lambda raw: (raw / "raw_feedback.csv").write_text(""), "raw_feedback.csv is empty (0 bytes)"),
        (_empty_part, "raw_events/part-1.csv is empty (0 bytes)"),
    ],
    ids=["near_name", "two_candidates", "empty_file", "empty_part"],
)
def test_case3_misleading_files_stop_the_run_naming_them(raw_csv, tmp_path, arrange, message) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    arrange(raw)
    result = run_dbt(["build"], tmp_path / "w.duckdb", {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode != 0
    assert message in result.stdout
    assert "OK created" not in result.stdout


def test_case3_a_file_of_semicolons_is_an_alarm(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    orders = pd.read_csv(raw / "raw_orders.csv", dtype=str)
    orders["amount"] = orders["amount"].str.replace(".", ",", regex=False)
    orders.to_csv(raw / "raw_orders.csv", sep=";", index=False)
    result = run_dbt(["build"], tmp_path / "w.duckdb", {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode != 0
    assert re.search(r"raw_orders: \d+ of \d+ rows rejected, more than var reject_share_error", result.stdout)
    assert "top reasons: unparseable_amount" in result.stdout


# the staged data and its checks, and the data-quality mart that records what each build read
ARRIVAL_BUILD = [
    "build",
    "--select",
    "+int_as_of_date",
    "+data_quality_staging",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
]


def _empty_export(raw: pathlib.Path, name: str, kind: str) -> None:
    """The relation's export with its header only (CSV), or as a Parquet file of 0 rows."""
    source = raw / f"{name}.csv"
    if kind == "csv":
        source.write_text(source.read_text().splitlines()[0] + "\n")
        return
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{source}', all_varchar = true) limit 0)"
            f" to '{raw / (name + '.parquet')}' (format parquet)"
        )
    source.unlink()


def test_case3_an_empty_export_warns_and_stops_the_build_once_the_relation_had_rows(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    settings = {"raw_source": "files", "raw_path": str(raw)}
    db = tmp_path / "w.duckdb"
    first = run_dbt(ARRIVAL_BUILD, db, settings)
    assert first.returncode == 0, first.stdout[-3000:]
    orders = _query(db, "select raw_rows from marts.data_quality_staging where relation = 'raw_orders'")[0][0]
    items = _query(db, "select raw_rows from marts.data_quality_staging where relation = 'raw_order_items'")[0][0]

    _empty_export(raw, "raw_order_items", "parquet")
    emptied = run_dbt(ARRIVAL_BUILD, db, settings)
    assert emptied.returncode != 0, "an empty export passed as a quiet zero"
    assert f"raw_order_items: no rows, against {items} in the last build" in emptied.stdout

    _empty_export(raw, "raw_orders", "csv")
    emptied = run_dbt(ARRIVAL_BUILD, db, settings)
    assert emptied.returncode != 0, "an empty export passed as a quiet zero"
    # (the items are checked against the orders, so they wait for them)
    assert f"raw_orders: no rows, against {orders} in the last build" in emptied.stdout
    # the warehouse still says what the last good build read
    assert _query(db, "select raw_rows from marts.data_quality_staging where relation = 'raw_orders'") == [(orders,)]

    # a warehouse that never had them: a warning, naming each relation
    fresh = run_dbt(ARRIVAL_BUILD, tmp_path / "fresh.duckdb", settings)
    for name in ("orders", "order_items"):
        warning = rf"WARN 1 relation_not_emptied_base_{name}_typed_raw_{name}\b"
        assert re.search(warning, fresh.stdout), fresh.stdout[-3000:]


def test_case3_a_latest_day_far_below_the_days_before_warns_or_stops(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    events = pd.read_csv(raw / "raw_events.csv", dtype=str)
    latest = events["event_time"].str[:10].max()
    on_latest = events.index[events["event_time"].str[:10] == latest]
    # one event of the latest day arrived: the rest of its export is missing
    events.drop(on_latest[1:]).to_csv(raw / "raw_events.csv", index=False)
    settings = {"raw_source": "files", "raw_path": str(raw), "latest_day_min_rows": 5}

    warned = run_dbt(ARRIVAL_BUILD, tmp_path / "w.duckdb", settings)
    assert warned.returncode == 0, warned.stdout[-3000:]
    assert re.search(r"WARN 1 latest_arrivals_base_events_typed_", warned.stdout), warned.stdout[-3000:]
    assert not re.search(r"WARN \d+ latest_arrivals_base_(users|orders|feedback)_typed_", warned.stdout)

    stopped = run_dbt(ARRIVAL_BUILD, tmp_path / "s.duckdb", {**settings, "latest_day_error_share": 0.2})
    assert stopped.returncode != 0
    assert re.search(rf"raw_events: volume of {latest}: 1 rows, against \d+ in the 7 days before", stopped.stdout)


def _staging_of(name: str) -> list[str]:
    return ["build", "--select", f"+base_{name}_typed", "--indirect-selection", "cautious"]


def test_case9_several_currencies_without_a_reporting_one_are_named_with_their_rows(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    orders = pd.read_csv(raw / "raw_orders.csv", dtype=str)
    orders.loc[orders.index[:3], "currency"] = "USD"
    orders.to_csv(raw / "raw_orders.csv", index=False)
    result = run_dbt(_staging_of("orders"), tmp_path / "w.duckdb", {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode != 0
    others = len(orders) - 3
    assert f"raw_orders hold several currencies (CNY {others}, USD 3 rows); set var reporting_currency" in result.stdout


def test_case9_a_relation_rejected_as_outliers_says_which_rule_and_var(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    feedback = pd.read_csv(raw / "raw_feedback.csv", dtype=str)
    early = feedback.index[: int(len(feedback) * 0.6)]
    feedback.loc[early, "submitted_at"] = "1999-12-31T10:00:00Z"
    feedback.to_csv(raw / "raw_feedback.csv", index=False)
    result = run_dbt(_staging_of("feedback"), tmp_path / "w.duckdb", {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode != 0
    assert re.search(
        r"raw_feedback: \d+ of \d+ rows rejected, more than var reject_share_error \(0\.5\);"
        rf" top reasons: outlier_timestamp \(before var min_valid_date 2000-01-01\) {len(early)}\b",
        result.stdout,
    ), result.stdout[-3000:]


def test_case3_an_implausible_birth_date_is_nulled_and_counted(raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    users = pd.read_csv(raw / "raw_users.csv", dtype=str)
    users.loc[0, "birth_date"] = "1800-01-01"
    users.to_csv(raw / "raw_users.csv", index=False)
    db = tmp_path / "w.duckdb"
    result = run_dbt(["build"], db, {"raw_source": "files", "raw_path": str(raw)})
    assert result.returncode == 0, result.stdout[-3000:]
    assert _query(
        db,
        "select nulled_rows from marts.data_quality_nulled_values"
        " where column_name = 'birth_date' and reason = 'out_of_range'",
    ) == [(1,)]
    assert _query(db, f"select age from marts.dim_users where user_id = '{users.loc[0, 'user_id']}'") == [(None,)]


# --- 4. consistency: publishing -------------------------------------------------------------------


def _build_and_publish(db: pathlib.Path, out: pathlib.Path, dbt_vars: dict, work: pathlib.Path) -> subprocess.Popen:
    """dbt build, then `uw publish`, as `uw build` runs them; in its own process group."""
    import json

    env = {
        **os.environ,
        "PII_SALT": TEST_PII_SALT,
        "DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    dbt = pathlib.Path(sys.executable).with_name("dbt")
    script = (
        f"{dbt} build --vars '{json.dumps(dbt_vars)}' --target-path {work}/target --log-path {work}/logs"
        f" && {dbt.with_name('uw')} publish --db {db} --out {out} --run-results {work}/target/run_results.json"
    )
    return subprocess.Popen(
        ["bash", "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _fingerprint(published: pathlib.Path) -> dict[str, tuple]:
    with duckdb.connect(str(published), read_only=True) as con:
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {m: con.execute(f"select count(*), bit_xor(hash(t)) from marts.{m} as t").fetchone() for m in marts}


@pytest.fixture(scope="module")
def published(raw_csv, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("publish")
    db, out = work / "work.duckdb", work / "published"
    first = _build_and_publish(
        db, out, {"raw_source": "files", "raw_path": str(raw_csv), "as_of_date": "2024-03-31"}, work
    )
    output, _ = first.communicate(timeout=600)
    assert first.returncode == 0, output[-3000:]
    return {
        "work": work,
        "db": db,
        "out": out,
        "file": out / "user_warehouse.duckdb",
        "before": _fingerprint(out / "user_warehouse.duckdb"),
    }


def test_case4_a_build_killed_mid_run_leaves_the_last_publish(published, raw_csv) -> None:
    run = _build_and_publish(
        published["db"],
        published["out"],
        {"raw_source": "files", "raw_path": str(raw_csv)},
        published["work"] / "killed",
    )
    # kill it once dbt says it has written the first model (stdout is unbuffered)
    for line in run.stdout:
        if "OK created sql table model" in line:
            break
    assert run.poll() is None, "the build ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate(timeout=120)
    assert run.returncode != 0
    assert _fingerprint(published["file"]) == published["before"]
    parquet = {p.stem for p in (published["out"] / "parquet").glob("*.parquet")}
    assert parquet == set(published["before"])


def test_case4_a_failed_build_leaves_the_last_publish(published, raw_csv, tmp_path) -> None:
    raw = _copy(raw_csv, tmp_path / "raw")
    (raw / "raw_feedback.csv").write_text("")
    run = _build_and_publish(published["db"], published["out"], {"raw_source": "files", "raw_path": str(raw)}, tmp_path)
    run.communicate(timeout=600)
    assert run.returncode != 0
    assert _fingerprint(published["file"]) == published["before"]


def test_case4_a_reader_never_blocks_a_build_and_sees_one_publish(published, raw_csv) -> None:
    reader = duckdb.connect(str(published["file"]), read_only=True)
    try:
        held = reader.execute("select count(*) from marts.fct_events").fetchone()
        run = _build_and_publish(
            published["db"],
            published["out"],
            {"raw_source": "files", "raw_path": str(raw_csv)},
            published["work"] / "while_read",
        )
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output[-3000:]
        # the open reader still sees the publish it opened, whole
        assert reader.execute("select count(*) from marts.fct_events").fetchone() == held
    finally:
        reader.close()
    after = _fingerprint(published["file"])
    assert after != published["before"]
    assert after["fct_events"][0] > held[0]


def test_published_marts_carry_their_descriptions(published) -> None:
    with duckdb.connect(str(published["file"]), read_only=True) as con:
        described = con.execute(
            "select count(*), count(comment) from duckdb_tables() where schema_name = 'marts'"
        ).fetchone()
        columns = con.execute(
            "select count(*), count(comment) from duckdb_columns() where schema_name = 'marts'"
        ).fetchone()
    assert described[0] == described[1] > 0
    assert columns[0] == columns[1] > 0
