"""The layout's contracts (pyproject.toml `[tool.importlinter]`, run by `lint-imports` in CI)
cover what they must: a forbidden contract with external packages lists its source modules
one by one, so a new module of an app is outside the contract until it is listed; these tests
fail until it is."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accessrules", "asylovergivelse", "borgerflytte")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _contract(name_start: str) -> dict:
    [found] = [c for c in CONFIG["contracts"] if c["name"].startswith(name_start)]
    return found


def _children(package: Path) -> set[str]:
    """The modules and packages directly in `package`, as dotted names."""
    dotted = ".".join(package.relative_to(ROOT).parts)
    found = {f"{dotted}.{p.stem}" for p in package.glob("*.py") if p.name != "__init__.py"}
    found |= {f"{dotted}.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    return found


def _non_api_children() -> set[str]:
    """Every child of the apps but their api packages; a wing with an api package of its own
    (accessrules.notifikationer) is listed by its children, its api package left out."""
    found, todo = set(), [ROOT / app for app in APPS]
    while todo:
        for name in _children(todo.pop()):
            path = ROOT.joinpath(*name.split("."))
            if name.endswith(".api"):
                continue
            if (path / "api" / "__init__.py").is_file():
                todo.append(path)
            else:
                found.add(name)
    return found


def test_every_module_but_the_api_packages_is_kept_from_the_web_framework():
    expected = _non_api_children()
    assert "borgerflytte.services" in expected and "accessrules.core" in expected
    assert "accessrules.notifikationer.services" in expected
    for start in ("only api packages and config", "the domain imports no api package"):
        assert set(_contract(start)["source_modules"]) == expected, start


def test_the_apps_root_modules_import_nothing():
    """The contracts list the apps' children; the packages' own __init__ holds no import."""
    for app in APPS:
        text = (ROOT / app / "__init__.py").read_text()
        assert "import" not in text, app


def test_every_core_module_but_bulk_is_kept_from_django():
    expected = _children(ROOT / "accessrules" / "core") - {"accessrules.core.bulk"}
    assert "accessrules.core.dates" in expected
    assert set(_contract("core knows no framework")["source_modules"]) == expected


def test_no_contract_ignores_or_allows_an_import():
    for contract in CONFIG["contracts"]:
        assert "ignore_imports" not in contract, contract["name"]
        assert "allow_indirect_imports" not in contract, contract["name"]
    assert {c["type"] for c in CONFIG["contracts"]} >= {"layers", "forbidden", "acyclic_siblings"}
    acyclic = _contract("no import cycles")
    assert set(acyclic["ancestors"]) == set(CONFIG["root_packages"])


def test_ci_runs_the_contracts():
    assert "\n.venv/bin/lint-imports\n" in (ROOT / ".ci" / "run").read_text()
