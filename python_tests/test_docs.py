"""The repository stands alone: every link to a document, in the docs, yml descriptions, SQL comments and Python,
names a file that exists and, with #anchor, a heading in it."""

from __future__ import annotations

import re
import subprocess

import pytest

from user_warehouse import cli

from conftest import ROOT
from doc_commands import doc_blocks, run_block, sandbox

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


# documents outside the repository that nothing in it may cite, written in pieces so this file cites none
OUTSIDE = "|".join(["SP" + "EC §", "STACK" + "-NOTES", r"\.\./sha" + "red"])


def test_nothing_cites_a_document_outside_the_repository() -> None:
    cited = subprocess.run(["git", "grep", "-n", "-I", "-E", OUTSIDE], cwd=ROOT, capture_output=True, text=True)
    assert cited.stdout.splitlines() == []


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
