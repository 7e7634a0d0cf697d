"""The repository stands alone: every link to a document, in the docs, yml descriptions, SQL comments and Python,
names a file that exists and, with #anchor, a heading in it."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from user_warehouse import cli

from conftest import BIN, ROOT, TEST_PII_SALT, Build, project_copy

# a document named in text: docs/... or README.md, with an optional #anchor
NAMED = re.compile(r"(?<![\w/.-])((?:docs/[\w./-]+\.md|README\.md)(?:#[\w-]+)?)")
# a Markdown link's target (not a web address)
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
LINKING = (".md", ".yml", ".sql", ".py", ".toml", ".csv")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path) -> set[str]:
    return {slug(line.lstrip("#")) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


def links() -> list[tuple[str, str, str]]:
    """(file, link as written, path from the repository root) for every document link in tracked files."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = []
    for name in tracked.split():
        if not name.endswith(LINKING) or not (ROOT / name).is_file() or name == "python_tests/test_docs.py":
            continue
        text = (ROOT / name).read_text(encoding="utf-8")
        if name.endswith(".md"):
            for target in MARKDOWN_LINK.findall(text):
                if not re.match(r"[a-z]+:", target):
                    base = (ROOT / name).parent
                    found.append(
                        (
                            name,
                            target,
                            str((base / target).resolve().relative_to(ROOT.resolve()))
                            if not target.startswith("#")
                            else name + target,
                        )
                    )
        else:
            found += [(name, target, target) for target in NAMED.findall(text)]
    return found


def broken(target: str) -> str | None:
    path, _, anchor = target.partition("#")
    file = ROOT / path
    if not file.exists():
        return "no such file"
    if anchor and file.suffix == ".md" and anchor not in anchors(file):
        return f"no heading #{anchor}"
    return None


def test_every_document_link_resolves() -> None:
    found = links()
    assert len(found) > 100  # the check reads what it should
    problems = [f"{name}: {link} ({why})" for name, link, target in found if (why := broken(target))]
    assert problems == []


def test_nothing_cites_a_document_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "grep", "-n", "-I", "-E", r"SPEC §|STACK-NOTES|\.\./shared"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert [line for line in tracked.splitlines() if not line.startswith("python_tests/test_docs.py")] == []


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("docs/nowhere.md", "no such file"),
        ("docs/rules/rfm.md#no-such-heading", "no heading #no-such-heading"),
        ("docs/rules/rfm.md#segments", None),
    ],
)
def test_a_missing_file_or_anchor_is_caught(link, why) -> None:
    assert broken(link) == why


# --- the commands the docs give ------------------------------------------------------------------------------------

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
        lines = [command.replace(".venv/bin/", f"{bin_dir}/") for command in self.commands]
        if self.kind == "small":
            lines = [
                re.sub(r"--users( \d+)+", f"--users {SMALL_USERS}", line).replace("/tmp/", f"{tmp}/") for line in lines
            ]
            lines = [line + " --empty" if re.search(r"/dbt build\b", line) else line for line in lines]
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
    if demo is not None:
        shutil.copy2(demo.db, db)
        (project / "target").mkdir(exist_ok=True)
        shutil.copy2(demo.run_results, project / "target" / "run_results.json")
        for manifest in ("manifest.json", "semantic_manifest.json"):
            shutil.copy2(demo.manifests / manifest, project / "target" / manifest)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "UW_"))}
    env.update(
        {
            "PII_SALT": TEST_PII_SALT,
            "DBT_PROFILES_DIR": str(project),
            "DUCKDB_PATH": str(db),
            "PUBLISH_DIR": str(project / "warehouse" / "published"),
        }
    )
    return project, env


def test_the_docs_mark_every_block_they_give() -> None:
    blocks = doc_blocks()
    assert {block.kind for block in blocks} <= {"demo", "small", "postgres", "spark", "setup"}
    assert len(doc_blocks("demo")) >= 4 and doc_blocks("small") and doc_blocks("postgres") and doc_blocks("spark")


def test_every_documented_command_runs_on_the_demo(demo, tmp_path) -> None:
    project, env = sandbox(tmp_path, demo)
    for block in doc_blocks("demo"):
        run_block(block, project, env, tmp_path)


@pytest.mark.parametrize("block", doc_blocks("small"), ids=lambda block: block.doc)
def test_every_long_documented_command_runs_at_a_small_size(block, tmp_path) -> None:
    project, env = sandbox(tmp_path)
    run_block(block, project, env, tmp_path)


def test_every_make_target_and_uw_command_the_docs_name_exists() -> None:
    """Named anywhere in the docs, in a block or in the text: a renamed target or command fails here."""
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([\w-]+):", makefile, re.M))
    commands = set(cli.COMMANDS)
    text = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
    named_targets = set(re.findall(r"\bmake ([a-z][\w-]*)", text))
    named_commands = set(re.findall(r"\buw ([a-z][\w-]*)", text))
    assert named_targets - targets == set()
    assert named_commands - commands == set()
    assert {"build", "test"} <= named_targets and {"build", "publish"} <= named_commands
