"""pytest plugin for bench/mutation/run.py (loaded with `-p bench.mutation.plugin`).

Record mode (MUTATION_RECORD=<json path>): the runner has put a `hit("<function>")` call at the top of
every function it mutates; each hit is noted against the test that is running, and the map function →
tests is written at the end. Select mode (MUTATION_SELECT=<json path>): only the tests in the file run,
in the order the file gives, so a mutant is tried by the tests that reach its function and nothing else.
"""

import json
import os

_current: str | None = None
_hits: dict[str, list[str]] = {}


def hit(function: str) -> None:
    current = _current or "<import>"  # called while no test runs: at import or collection
    tests = _hits.setdefault(function, [])
    if current not in tests[-1:]:
        tests.append(current)


def pytest_collection_modifyitems(config, items):
    path = os.environ.get("MUTATION_SELECT")
    if not path:
        return
    with open(path) as f:
        wanted = json.load(f)
    order = {nodeid: i for i, nodeid in enumerate(wanted)}
    selected = sorted((item for item in items if item.nodeid in order), key=lambda item: order[item.nodeid])
    deselected = [item for item in items if item.nodeid not in order]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


def pytest_runtest_setup(item):
    # Set before the fixtures run: a module-scoped fixture that calls a function counts for the first test.
    global _current
    _current = item.nodeid


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("MUTATION_RECORD")
    if path:
        with open(path, "w") as f:
            json.dump(_hits, f)
