"""The one command, `uw`: every subcommand answers --help, and publishing refuses a build that did not pass whole,
naming what failed, before it copies anything."""

from __future__ import annotations

import json
import pathlib
import signal
import subprocess
import time

import pytest

from user_warehouse import cli

from conftest import BIN, ROOT, publish, uw


def test_uw_lists_every_command_and_each_answers_help() -> None:
    listed = uw(["--help"]).stdout
    for name in cli.COMMANDS:
        assert f"  {name} " in listed
        assert f"usage: uw {name}" in uw([name, "--help"]).stdout
    unknown = uw(["bulid"], check=False)
    assert unknown.returncode == 2 and "unknown command 'bulid'" in unknown.stderr


def _results(path: pathlib.Path, which: str, statuses: dict[str, str]) -> pathlib.Path:
    path.write_text(
        json.dumps(
            {
                "args": {"which": which},
                "results": [{"unique_id": node, "status": status} for node, status in statuses.items()],
            }
        )
    )
    return path


@pytest.mark.parametrize(
    ("which", "statuses", "message"),
    [
        (
            "build",
            {
                "model.user_warehouse.int_order_facts": "error",
                "model.user_warehouse.fct_orders": "skipped",
                "test.user_warehouse.unique_dim_users_user_id": "pass",
            },
            "2 of 3 nodes failed or were skipped): nothing published\n  model.user_warehouse.int_order_facts (error)\n"
            "  model.user_warehouse.fct_orders (skipped)",
        ),
        (
            "build",
            {"test.user_warehouse.not_null_dim_users_user_id": "fail"},
            "test.user_warehouse.not_null_dim_users_user_id (fail)",
        ),
        (
            "run-operation",
            {"macro.user_warehouse.check_audience_rules": "success"},
            "was 'run-operation', not a build: nothing published",
        ),
    ],
)
def test_publish_refuses_a_build_that_did_not_pass_whole(demo, tmp_path, which, statuses, message) -> None:
    results = _results(tmp_path / "run_results.json", which, statuses)
    out = tmp_path / "published"
    refused = uw(["publish", "--db", str(demo.db), "--out", str(out), "--run-results", str(results)], check=False)
    assert refused.returncode != 0
    assert message in refused.stderr
    assert not out.exists()


def test_publish_refuses_without_build_results(demo, tmp_path) -> None:
    refused = uw(
        ["publish", "--db", str(demo.db), "--out", str(tmp_path / "out"), "--run-results", str(tmp_path / "none.json")],
        check=False,
    )
    assert refused.returncode != 0 and "no build results at" in refused.stderr


def test_publish_goes_ahead_after_a_build_that_passed_with_warnings(demo, tmp_path) -> None:
    passed = json.loads(demo.run_results.read_text())
    passed["results"][0]["status"] = "warn"
    results = tmp_path / "run_results.json"
    results.write_text(json.dumps(passed))
    published = publish(type(demo)(demo.db, results), tmp_path / "out")
    assert published.exists()


def test_a_killed_publish_leaves_nothing_behind_for_good(demo, tmp_path) -> None:
    """A publish killed before its swap (SIGKILL: no clean-up runs) leaves a hidden copy of the warehouse; the next
    publish removes it, and what readers see is the last whole publish throughout."""
    out = tmp_path / "out"
    first = publish(demo, out)
    before = first.stat().st_ino
    killed = subprocess.Popen(
        [str(BIN / "uw"), "publish", "--db", str(demo.db), "--out", str(out), "--run-results", str(demo.run_results)],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".user_warehouse.duckdb.*.tmp")) and killed.poll() is None:
        assert time.monotonic() < deadline, "the publish never started its copy"
        time.sleep(0.005)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert list(out.glob(".user_warehouse.duckdb.*.tmp*")), "nothing was left to clear: kill it earlier"
    assert first.stat().st_ino == before  # readers still see the last whole publish

    publish(demo, out)
    hidden = sorted(path.name for path in out.iterdir() if path.name.startswith("."))
    assert hidden == [], hidden
    folders = [path for path in out.iterdir() if path.name.startswith("parquet-")]
    assert len(folders) <= 2, folders  # this publish's and the one it replaced, which a reader may be in
