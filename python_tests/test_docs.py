"""The repository stands alone: every link to a document, in the docs, yml descriptions, SQL comments and Python,
names a file that exists and, with #anchor, a heading in it."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT

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
        if not name.endswith(LINKING) or not (ROOT / name).is_file():
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
