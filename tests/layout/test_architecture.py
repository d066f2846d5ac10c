"""docs/architecture.md cannot go stale: every `file.py:name` it names resolves by import, the
request runs in at most 12 numbered steps each naming one, every import-linter contract of
pyproject.toml is named, and README.md links the page."""

import importlib
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text()
REFERENCE = re.compile(r"`([\w/]+)\.py:([\w.]+)`")


def resolve(path: str, name: str):
    found = importlib.import_module(path.replace("/", "."))
    for part in name.split("."):
        found = getattr(found, part)
    return found


def test_every_named_function_resolves():
    references = REFERENCE.findall(DOC)
    assert len(references) > 20
    for path, name in references:
        assert (ROOT / f"{path}.py").is_file(), path
        assert resolve(path, name) is not None, (path, name)


def test_a_request_runs_in_at_most_12_steps_each_naming_its_function():
    section = DOC.split("## How a request runs", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^(\d+)\. (.*)$", section, flags=re.MULTILINE)
    assert 1 <= len(steps) <= 12
    assert [int(number) for number, _ in steps] == list(range(1, len(steps) + 1))
    for number, text in steps:
        match = REFERENCE.match(text)
        assert match, f"step {number} does not start with a `file.py:function`"
        assert callable(resolve(*match.groups())), text


def test_every_contract_is_named():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    listed = {line[2:] for line in DOC.splitlines() if line.startswith("- ")}
    for contract in contracts["contracts"]:
        assert contract["name"] in listed, contract["name"]


def test_readme_links_the_page():
    assert "docs/architecture.md" in (ROOT / "README.md").read_text()
