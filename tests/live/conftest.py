"""The live-server fixture and its failure report hook for the tests in this package (another
package uses them by importing the same two names into its own conftest.py)."""

from tests.live.harness import live_servers, pytest_runtest_makereport  # noqa: F401
