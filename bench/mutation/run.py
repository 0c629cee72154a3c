"""A small mutation run: change one thing in a function, run the tests that reach it, see whether they fail.

    .venv/bin/python bench/mutation/run.py [outbox policy small_numbers] [--max N] [--timeout S] [--survivors]

Each target names the functions to mutate and the test files that guard them. The runner sets Django up
once, then runs pytest in forked children: first once with every target function instrumented, to record
which test reaches which function (the unmutated code must pass), then once per mutant, with the mutated
function's code swapped into the loaded module (the files on disk are never touched) and only the tests
that reach it selected, `-x`, on a test database kept between runs (`--reuse-db`). A mutant is *killed*
when a test fails, *survives* when they all pass, is *not reached* when no test calls its function, and
*import time* when its function runs only at import (swapping its code would test nothing). Results go to
bench/results/mutation-<target>.json; `--survivors` runs only the last run's survivors again (after new
tests), into mutation-<target>-survivors.json. The mutations, one at a time, inside function bodies only:

- a comparison flipped (`==`↔`!=`, `<`↔`<=`, `>`↔`>=`, `in`↔`not in`, `is`↔`is not`)
- `and`↔`or`; a `not` removed
- a constant changed: `True`↔`False`, an integer n → n + 1
- a statement removed (replaced by `pass`): an expression, assignment, `return`, `raise` or `if`

Why our own runner rather than mutmut: the policy's guard is the role × URL table, one module fixture that
builds a world and ~1,900 requests; forking a warm process and running only the tests that reach the
mutated function is what makes a run fit in minutes on two shared cores.
"""

import argparse
import ast
import copy
import importlib
import json
import os
import signal
import sys
import tempfile
import time
import types
from dataclasses import asdict, dataclass
from pathlib import Path

import django
import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"

# What is mutated (file → function names; None = every function in the file) and which tests guard it.
TARGETS = {
    "outbox": {
        "files": {
            "apps/core/services.py": [
                "message_queue",
                "channel_for_ambassador",
                "channel_for_coordinator",
                "message_send",
                "message_claim",
                "message_mark_sent",
                "message_mark_failed",
                "message_retry_pause",
                "messages_lost",
            ],
            "apps/core/tasks.py": ["message_deliver"],
        },
        "tests": ["tests/core/test_outbox.py"],
    },
    "policy": {
        "files": {"apps/core/policy.py": None},
        "tests": ["tests/test_access.py", "tests/core/test_policy_anonymous.py"],
    },
    "small_numbers": {
        "files": {"apps/core/small_numbers.py": None},
        "tests": ["tests/core/test_small_numbers.py", "tests/dashboards/test_no_derivation.py"],
    },
}

COMPARE_SWAP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
IMPORT_TIME = "<import>"  # bench/mutation/plugin.py's name for a call made while no test runs
REMOVABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.If)


@dataclass
class Mutant:
    file: str
    function: str
    index: int  # the index-th mutation point of the function, in ast.walk order
    line: int
    before: str
    after: str
    status: str = ""
    seconds: float = 0.0


def _functions(tree: ast.Module, names: list[str] | None):
    """(qualified name, node) for the module's functions and methods, nested ones counting as their parent."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (names is None or node.name in names):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                qualified = f"{node.name}.{item.name}" if hasattr(item, "name") else ""
                if isinstance(item, ast.FunctionDef) and (names is None or qualified in names):
                    yield qualified, item


def _body(function: ast.FunctionDef) -> list[ast.stmt]:
    body = function.body
    docstring = body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    return body[1:] if docstring else body


def _statement_points(function):
    """Statements nested in bodies of if/for/with/try count as removable too."""
    for node in ast.walk(ast.Module(body=_body(function), type_ignores=[])):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            for stmt in statements if isinstance(statements, list) else []:  # a lambda's body is an expression
                if isinstance(stmt, REMOVABLE):
                    yield stmt


def _all_points(function):
    points = [(s, None, "remove", None) for s in _statement_points(function)]
    for stmt in _body(function):
        for node in ast.walk(stmt):
            if isinstance(node, ast.Compare):
                points += [(node, None, "compare", j) for j, op in enumerate(node.ops) if type(op) in COMPARE_SWAP]
            elif isinstance(node, ast.BoolOp):
                points.append((node, None, "boolop", None))
            elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
                points.append((node, None, "not", None))
            elif isinstance(node, ast.Constant) and type(node.value) in (bool, int):
                points.append((node, None, "constant", None))
    return points


def _replace(root: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(root):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                setattr(parent, field, [new if item is old else item for item in value])
                return
    raise LookupError("node not found")


def _mutate(tree: ast.Module, function: ast.FunctionDef, index: int) -> tuple[int, str, str]:
    """Apply the index-th mutation point of `function` in place; returns (line, before, after)."""
    node, _, kind, detail = _all_points(function)[index]
    before = ast.unparse(node).splitlines()[0]
    line = node.lineno
    if kind == "remove":
        new = ast.Pass()
        _replace(function, node, new)
        after = "pass"
    elif kind == "compare":
        node.ops[detail] = COMPARE_SWAP[type(node.ops[detail])]()
        after = ast.unparse(node)
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        after = ast.unparse(node)
    elif kind == "not":
        _replace(function, node, node.operand)
        after = ast.unparse(node.operand)
    else:
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
        after = ast.unparse(node)
    ast.fix_missing_locations(tree)
    return line, before, after


def _instrument(tree: ast.Module, names: list[str] | None, file: str) -> None:
    """Put `hit("<file>:<function>")` first in every mutated function (in place)."""
    for qualified, function in _functions(tree, names):
        call = f'__import__("bench.mutation.plugin", fromlist=["hit"]).hit({f"{file}:{qualified}"!r})'
        function.body.insert(0, ast.parse(call).body[0])
    ast.fix_missing_locations(tree)


def _code_objects(code, found=None) -> dict:
    """Every function's code object in a compiled module, by qualified name."""
    found = {} if found is None else found
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found.setdefault(const.co_qualname, const)
            _code_objects(const, found)
    return found


def _live_function(module, qualified: str) -> types.FunctionType:
    """The function object the running program calls (under a property, a task, @transaction.atomic …)."""
    owner, _, name = qualified.rpartition(".")
    value = vars(getattr(module, owner))[name] if owner else getattr(module, name)
    for _ in range(5):
        if isinstance(value, types.FunctionType) and value.__code__.co_qualname == qualified:
            return value
        value = (
            getattr(value, "fget", None)
            or getattr(value, "__func__", None)
            or getattr(value, "__wrapped__", None)
            or getattr(value, "run", None)
        )
    raise LookupError(qualified)


def _swap(tree: ast.Module, file: str, names: list[str]) -> None:
    """Give the loaded module's functions the code compiled from `tree` (only in this forked process)."""
    module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
    compiled = _code_objects(compile(tree, str(ROOT / file), "exec"))
    for qualified in names:
        _live_function(module, qualified).__code__ = compiled[qualified]


def _pytest(args: list[str], *, env: dict, swaps: list[tuple[ast.Module, str, list[str]]], timeout: float):
    """Run pytest in a forked child of this process (Django and the apps already imported), with `swaps` applied."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: change the code, run the tests, leave without cleanup
        code = 3
        try:
            os.environ.update(env)
            for tree, file, names in swaps:
                _swap(tree, file, names)
            if not os.environ.get("MUTATION_VERBOSE"):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
            code = int(
                pytest.main(["-q", "-x", "-p", "no:cacheprovider", "-p", "bench.mutation.plugin", "--reuse-db", *args])
            )
        finally:
            os._exit(code)
    while time.monotonic() - started < timeout:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), time.monotonic() - started
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None, time.monotonic() - started


def run_target(name: str, *, limit: int | None, timeout: float, only: set | None = None) -> list[Mutant]:
    target = TARGETS[name]
    trees = {file: ast.parse((ROOT / file).read_text()) for file in target["files"]}
    functions = {file: [q for q, _ in _functions(trees[file], names)] for file, names in target["files"].items()}
    tests = [*target["tests"], "-m", "not worker and not browser"]

    # 1. Which tests reach which function (the unmutated code must pass them).
    swaps = []
    for file in target["files"]:
        tree = copy.deepcopy(trees[file])
        _instrument(tree, functions[file], file)
        swaps.append((tree, file, functions[file]))
    with tempfile.NamedTemporaryFile(suffix=".json") as record:
        code, seconds = _pytest(tests, env={"MUTATION_RECORD": record.name}, swaps=swaps, timeout=3600)
        if code != 0:
            sys.exit(f"{name}: the tests fail on the unmutated code (exit {code}); fix that first")
        reached = json.loads(Path(record.name).read_text())
    print(f"{name}: baseline passed in {seconds:.0f} s; {len(reached)} functions reached", flush=True)

    # 2. Every mutant, or an evenly spread sample of `limit` of them.
    mutants = [
        Mutant(file=file, function=qualified, index=index, line=0, before="", after="")
        for file in target["files"]
        for qualified, function in _functions(trees[file], target["files"][file])
        for index in range(len(_all_points(function)))
    ]
    if limit and len(mutants) > limit:
        step = len(mutants) / limit
        mutants = [mutants[int(i * step)] for i in range(limit)]
    if only is not None:
        mutants = [m for m in mutants if (m.file, m.function, m.index) in only]

    for number, mutant in enumerate(mutants, 1):
        tree = copy.deepcopy(trees[mutant.file])
        function = dict(_functions(tree, None))[mutant.function]
        mutant.line, mutant.before, mutant.after = _mutate(tree, function, mutant.index)
        reaching = reached.get(f"{mutant.file}:{mutant.function}", [])
        if reaching == [IMPORT_TIME]:
            mutant.status = "import time"  # ran once at import (a decorator): swapping its code changes nothing
        elif not reaching:
            mutant.status = "not reached"
        else:
            with tempfile.NamedTemporaryFile("w", suffix=".json") as select:
                json.dump([test for test in reaching if test != IMPORT_TIME], select)
                select.flush()
                code, mutant.seconds = _pytest(
                    tests,
                    env={"MUTATION_SELECT": select.name},
                    swaps=[(tree, mutant.file, [mutant.function])],
                    timeout=timeout,
                )
            mutant.status = {0: "survived", None: "timeout"}.get(code, "killed")
        print(
            f"[{number}/{len(mutants)}] {mutant.status:11} {mutant.file}:{mutant.line} {mutant.function}: "
            f"{mutant.before!r} → {mutant.after!r} ({mutant.seconds:.0f} s)",
            flush=True,
        )
    return mutants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", default=list(TARGETS), choices=list(TARGETS))
    parser.add_argument("--max", type=int, default=None, help="mutants per target (an evenly spread sample)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant before it counts as a timeout")
    parser.add_argument(
        "--survivors", action="store_true", help="only the survivors of the last run, e.g. after new tests"
    )
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nabo_mutation")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    django.setup()
    for target in TARGETS.values():  # imported once here, so every forked run starts warm
        for file in target["files"]:
            importlib.import_module(file.removesuffix(".py").replace("/", "."))
    importlib.import_module("bench.mutation.plugin")

    RESULTS.mkdir(exist_ok=True)
    for name in args.targets:
        out = RESULTS / f"mutation-{name}.json"
        only = None
        if args.survivors:
            last = json.loads(out.read_text())["mutants"]
            only = {(m["file"], m["function"], m["index"]) for m in last if m["status"] == "survived"}
            out = RESULTS / f"mutation-{name}-survivors.json"
        mutants = run_target(name, limit=args.max, timeout=args.timeout, only=only)
        statuses = ("killed", "survived", "not reached", "import time", "timeout")
        counts = {status: sum(m.status == status for m in mutants) for status in statuses}
        print(f"{name}: {len(mutants)} mutants, " + ", ".join(f"{n} {s}" for s, n in counts.items()), flush=True)
        out.write_text(
            json.dumps({"counts": counts, "mutants": [asdict(m) for m in mutants]}, indent=1, ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
