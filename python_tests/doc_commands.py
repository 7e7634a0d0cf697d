"""The shell commands README.md and docs/ give, as blocks a test can run (test_docs.py, and the engines' tests for
the blocks that need PostgreSQL or Spark)."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
from dataclasses import dataclass

from user_warehouse import generate as gen

from conftest import BIN, ROOT, TEST_PII_SALT, Build, project_copy

# ```sh blocks; an info word in braces says how the tests run the block:
#   (none)      on a copy of the demo build, as given
#   {small}     in a fresh folder at a small size: --users N becomes 300, dbt build runs --empty
#   {postgres}  {spark}  by the engine's own test (test_engines.py, test_spark.py)
#   {setup}     not run: installs or runs the whole suite; every make target it names must exist
FENCE = re.compile(r"^```sh(?: \{(\w+)\})?\n(.*?)^```", re.S | re.M)
SMALL_USERS = 300


@dataclass(frozen=True)
class Block:
    doc: str
    kind: str
    commands: tuple[str, ...]

    def script(self, bin_dir: pathlib.Path, tmp: pathlib.Path) -> str:
        lines = [re.sub(r"\s+#\s.*$", "", command) for command in self.commands]  # comments left out
        if self.kind == "small":
            lines = [re.sub(r"--users( \d+)+", f"--users {SMALL_USERS}", line) for line in lines]
            lines = [re.sub(r"(?<![\w/])/tmp/", f"{tmp}/", line) for line in lines]
            lines = [line + " --empty" if re.search(r"/dbt build\b", line) else line for line in lines]
        lines = [line.replace(".venv/bin/", f"{bin_dir}/") for line in lines]
        return "set -euo pipefail\n" + "\n".join(lines) + "\n"


def doc_blocks(kind: str | None = None) -> list[Block]:
    """Every ```sh block of README.md and docs/, one command a line (continuations joined, comment lines left out)."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for marker, body in FENCE.findall(path.read_text(encoding="utf-8")):
            text = re.sub(r"\\\n\s*", "", body)
            commands = tuple(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
            found.append(Block(str(path.relative_to(ROOT)), marker or "demo", commands))
    return [block for block in found if kind is None or block.kind == kind]


def run_block(block: Block, cwd: pathlib.Path, env: dict[str, str], tmp: pathlib.Path) -> None:
    result = subprocess.run(
        ["bash", "-c", block.script(BIN, tmp)], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, (
        f"{block.doc}: a documented command failed:\n{block.script(BIN, tmp)}\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )


def sandbox(tmp: pathlib.Path, demo: Build | None = None) -> tuple[pathlib.Path, dict[str, str]]:
    """A copy of the project a reader has just built (the shared demo build copied in, when given), and the
    environment its commands run in."""
    project = project_copy(tmp / "project")
    db = project / "warehouse" / "user_warehouse.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "UW_"))}
    env.update(
        {
            "PII_SALT": TEST_PII_SALT,
            "DBT_PROFILES_DIR": str(project),
            "DUCKDB_PATH": str(db),
            "PUBLISH_DIR": str(project / "warehouse" / "published"),
        }
    )
    if demo is not None:
        shutil.copy2(demo.db, db)
        (project / "target").mkdir(exist_ok=True)
        shutil.copy2(demo.run_results, project / "target" / "run_results.json")
        # the manifests a build leaves, which MetricFlow reads: written here, as the reader's build wrote them
        parsed = subprocess.run(
            [str(BIN / "dbt"), "parse", "--quiet"], cwd=project, env=env, capture_output=True, text=True
        )
        assert parsed.returncode == 0, parsed.stdout[-2000:]
        # a reader's own files, where the docs say to put them
        gen.generate(SMALL_USERS, project / "data" / "raw", "parquet", seed=7, dirty=0.01)
    return project, env
