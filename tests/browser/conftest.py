"""A real browser for the admin: headless Chromium (Debian's `chromium` and `chromium-driver`)
driven by Selenium, against a real gunicorn server started by the live-server harness with the
production settings (DEBUG off, WhiteNoise's manifest storage over a `collectstatic` run once
per session into a temporary STATIC_ROOT).

Without Chromium the tests skip locally, with the reason; with `CI` set they fail, so CI never
passes without having driven a browser. Selenium is given the driver's path, so Selenium
Manager never runs (and `SE_OFFLINE` forbids it to download anything if it did)."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.live.harness import ROOT, live_servers, pytest_runtest_makereport  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1366,900",
    "--lang=da",
)
PAGE_TIMEOUT = 20  # seconds for a page to load


def _missing() -> str | None:
    for name, path in (("chromium", CHROMIUM), ("chromium-driver", CHROMEDRIVER)):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{name} is not installed ({path} missing): apt-get install {name}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[dev]'"
    return None


@pytest.fixture(scope="session")
def _browser_available():
    missing = _missing()
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    if missing and in_ci:
        pytest.fail(f"CI must drive a real browser: {missing}", pytrace=False)
    if missing:
        pytest.skip(missing)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory, _browser_available):
    """`collectstatic` once per session, with the production storage (hashed, compressed)."""
    root = tmp_path_factory.mktemp("static")
    env = {
        name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="collectstatic-for-the-browser-tests-only-not-a-real-secret-key",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(root),
    )
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def driver(_browser_available):
    """One headless Chromium per module; always quit, even when a test fails."""
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    service = Service(executable_path=CHROMEDRIVER, log_output=subprocess.DEVNULL)
    browser = webdriver.Chrome(service=service, options=options)
    try:
        browser.set_page_load_timeout(PAGE_TIMEOUT)
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def server(live_servers, static_root):  # noqa: F811 (the fixture imported above)
    """One gunicorn server for this test (its data is its own: committed, then flushed)."""
    # DEMO=1: the tests' local accounts sign in with a password (SPEC 7; tests/accessrules/saml/
    # tests the refusal without it, and SAML sign-in)
    env = {"STATIC_ROOT": str(static_root), "ADMIN_ENVIRONMENT": "BROWSERTEST", "DEMO": "1"}
    [live] = live_servers(workers=1, worker_class="gthread", threads=4, env=env)
    return live


@pytest.fixture
def browser(driver, server):
    """The module's browser, with no cookie left from an earlier test."""
    driver.get(server.url("/healthz"))
    driver.delete_all_cookies()
    yield driver
    driver.delete_all_cookies()
