"""The README stays a README (issue 19, item 4): at most 12,000 characters, in reading order,
and every link in it and in docs/ resolves inside the repository (a clone has no ../shared)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")
MAX_README = 12_000


def test_the_readme_is_at_most_12000_characters():
    size = len(README.read_text())
    assert size <= MAX_README, f"README.md is {size} characters; move detail into docs/"


def test_the_readme_reads_in_order():
    text = README.read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    expected_order = [
        "## Set up",
        "## Now what",
        "## The tests",
        "## Calling the API",
        "## Running it in production",
        "## Caseworkers",
        "## How it is built",
    ]
    assert [h for h in headings if h in expected_order] == expected_order
    for target in ("docs/operations.md", "docs/architecture.md", "docs/integration.md"):
        assert f"]({target})" in text, target


def test_the_two_set_up_commands_are_there():
    commands = re.findall(r"```sh\n(.*?)\n```", README.read_text(), re.DOTALL)
    assert any("manage.py seed_demo" in c and "runserver 127.0.0.1:8000" in c for c in commands)
    assert any(c.endswith(".venv/bin/pytest") and "pip install" in c for c in commands)


def _links(path: Path) -> list[str]:
    return [link for link in LINK.findall(path.read_text()) if not link.startswith("#")]


def test_every_link_in_the_readme_and_docs_resolves_inside_the_repository():
    broken = []
    for path in [README, *DOCS]:
        for link in _links(path):
            if re.match(r"[a-z]+:", link):  # http(s): a URL, not a file
                continue
            target = (path.parent / link.split("#", 1)[0]).resolve()
            if not target.is_relative_to(ROOT) or not target.exists():
                broken.append(f"{path.relative_to(ROOT)}: {link}")
    assert broken == []


def test_no_doc_points_outside_the_repository():
    for path in [README, *DOCS]:
        assert "../shared" not in path.read_text(), path.name
