"""Mutation testing of our own: single-line `ast` mutants, run in a copy of the repository.

    .venv/bin/python scripts/mutation.py [--modules ...] [--sample N] [--jobs 2] [extra.py ...]

Each mutant changes one line of one module (a comparison, a boolean operator, a `not`, a
constant, a returned value, a call statement, + and -) inside a temporary copy of src, tests,
scripts and pyproject.toml; the shared working tree is never written. The copy's src comes first
on PYTHONPATH (the venv's editable install points at the working tree), and a sanity mutant that
must be killed proves the copy is what the tests import. A mutant is killed when the tests of its
area fail; survivors then run the whole suite. Mutants marked equivalent by hand in
scripts/mutation_equivalent.txt (`module:line:description  # reason`) leave the second score.
"""

from __future__ import annotations

import argparse
import ast
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODULES = (
    "src/notalabel/auth/*.py",
    "src/notalabel/security.py",
    "src/notalabel/identity/naming.py",
    "src/notalabel/identity/availability.py",
    "src/notalabel/users/erasure.py",
    "src/notalabel/ratelimit.py",
)
# The tests of a module's area, by path prefix; a feature package maps to tests/<package>.
AREA_TESTS = {
    "src/notalabel/security.py": ["tests/auth"],
    "src/notalabel/ratelimit.py": ["tests/ratelimit"],
}
EQUIVALENTS = ROOT / "scripts" / "mutation_equivalent.txt"
COPIED = ("src", "tests", "scripts", "pyproject.toml")
LOGGERS = frozenset({"logger", "logging", "log", "_log", "_logger"})
COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
ARITHMETIC_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
}


@dataclass(frozen=True)
class Mutant:
    """One changed line (or statement) of one module."""

    module: str  # path relative to the repository root
    line: int
    description: str
    original: str  # the original source line(s)
    source: str  # the whole mutated module

    @property
    def key(self) -> str:
        """`module:line:description`, as the equivalents file names it."""
        return f"{self.module}:{self.line}:{self.description}"


@dataclass
class Outcome:
    """What the tests made of one mutant."""

    mutant: Mutant
    killed: bool
    how: str
    seconds: float


class _Collector(ast.NodeVisitor):
    """Walks a module and yields (node, replacement text, statement?) mutation candidates."""

    def __init__(self) -> None:
        self.found: list[tuple[ast.expr | ast.stmt, str, bool]] = []

    def generic_visit(self, node: ast.AST) -> None:
        """Visit children, skipping annotations, docstrings, f-strings and logging calls."""
        for field, value in ast.iter_fields(node):
            if field in {"annotation", "returns", "type_comment"}:
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST) and not _skipped(child):
                    self._mutate(child)
                    self.visit(child)

    def _add(self, node: ast.expr | ast.stmt, new: ast.AST | str, statement: bool = False) -> None:
        text = new if isinstance(new, str) else ast.unparse(new)
        self.found.append((node, text, statement))

    def _mutate(self, node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                for swap in COMPARE_SWAPS.get(type(op), ()):
                    ops = [*node.ops[:index], swap(), *node.ops[index + 1 :]]
                    self._add(node, ast.Compare(node.left, ops, node.comparators))
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            self._add(node, ast.BoolOp(other, node.values))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._add(node, node.operand)
        elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC_SWAPS:
            self._add(node, ast.BinOp(node.left, ARITHMETIC_SWAPS[type(node.op)](), node.right))
        elif isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC_SWAPS:
            swapped = ast.AugAssign(node.target, ARITHMETIC_SWAPS[type(node.op)](), node.value)
            self._add(node, swapped, statement=True)
        elif isinstance(node, ast.Constant):
            self._constant(node)
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                self._add(node, "return None", statement=True)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call | ast.Await):
            self._add(node, "pass", statement=True)

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add(node, repr(not value))
        elif isinstance(value, int | float):
            self._add(node, repr(value + 1))
            self._add(node, repr(value - 1))
        elif isinstance(value, str) and value:
            self._add(node, '""')


def _skipped(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):  # positions inside f-strings are unreliable before 3.12
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings
        return True
    if isinstance(node, ast.ImportFrom | ast.Import):
        return True
    target = node.value if isinstance(node, ast.Expr | ast.Await) else node
    target = target.value if isinstance(target, ast.Await) else target
    if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
        owner = target.func.value
        return isinstance(owner, ast.Name) and owner.id in LOGGERS
    return False


def generate(module: str) -> list[Mutant]:
    """Every mutant of `module` (a path relative to the repository root)."""
    text = (ROOT / module).read_text()
    lines = text.splitlines(keepends=True)
    collector = _Collector()
    collector.visit(ast.parse(text))
    mutants: list[Mutant] = []
    seen: set[tuple[int, str]] = set()
    for node, new, statement in collector.found:
        start, end = node.lineno, node.end_lineno or node.lineno
        first = lines[start - 1]
        col, end_col = node.col_offset, node.end_col_offset or 0
        if statement:
            last = lines[end - 1]
            if first[:col].strip() or last[end_col:].strip() not in ("", ";"):
                continue  # shares its line with other code
            replaced = [first[:col] + new + "\n"] + ["\n"] * (end - start)
            old = first[col:].rstrip()
        elif start == end:
            old = first[col:end_col]
            replaced = [first[:col] + f"({new})" + first[end_col:]]
        else:
            continue  # a multi-line expression is not a single-line mutant
        mutated = "".join(lines[: start - 1] + replaced + lines[end:])
        description = f"{old} → {new}"
        if mutated == text:
            continue
        repeat = 1
        while (start, description) in seen:  # e.g. frozen=True, slots=True on one line
            repeat += 1
            description = f"{old} → {new} #{repeat}"
        seen.add((start, description))
        try:
            ast.parse(mutated)
        except SyntaxError:
            continue
        original = "".join(lines[start - 1 : end]).strip()
        mutants.append(Mutant(module, start, description, original, mutated))
    return mutants


def area_tests(module: str) -> list[str]:
    """The test folders run first for a mutant of `module`."""
    if module in AREA_TESTS:
        return AREA_TESTS[module]
    parts = Path(module).relative_to("src/notalabel").parts
    folder = ROOT / "tests" / (parts[0] if len(parts) > 1 else Path(parts[0]).stem)
    return [str(folder.relative_to(ROOT))] if folder.is_dir() else ["tests"]


def load_equivalents(path: Path) -> dict[str, str]:
    """`module:line:description` → reason, from the hand-kept equivalents file."""
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for raw in path.read_text().splitlines():
        if raw.strip() and not raw.startswith("#"):
            key, _, reason = raw.partition("  # ")
            found[key.strip()] = reason.strip()
    return found


class Workspace:
    """A private copy of the repository whose modules can be mutated and restored."""

    def __init__(self, base: Path, index: int) -> None:
        self.root = base / f"copy{index}"
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", "*.pyc")
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, self.root / name, ignore=ignore)
            else:
                shutil.copy2(source, self.root / name)
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(self.root / "src"), str(self.root)]),
            # a mutant of the same size written in the same second must not reuse a stale .pyc
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def pytest(
        self, paths: list[str], timeout: float, deselect: list[str], *, stop: bool = True
    ) -> tuple[int, str]:
        """Run pytest on `paths` inside the copy; (exit code or -1 on timeout, output)."""
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE"]
        command += ["-x"] if stop else []
        command += [f"--deselect={node}" for node in deselect] + paths
        try:
            done = subprocess.run(
                command, cwd=self.root, env=self.env, capture_output=True, text=True,
                timeout=timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return -1, "timeout"
        return done.returncode, done.stdout + done.stderr

    def imported_from_copy(self) -> bool:
        """Whether `import notalabel` in the copy's environment loads the copy."""
        probe = "import notalabel, sys; sys.stdout.write(notalabel.__file__ or '')"
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=self.root, env=self.env,
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return Path(done.stdout).resolve().is_relative_to(self.root.resolve())

    def run(self, mutant: Mutant, plan: Plan) -> Outcome:
        """Apply `mutant`, run its area's tests and then, if it survives, the whole suite."""
        target = self.root / mutant.module
        original = target.read_text()
        started = time.monotonic()
        target.write_text(mutant.source)
        try:
            how = "survived"
            area = area_tests(mutant.module)
            # the second run skips the area's folders, which just passed
            rest = [f"--ignore={folder}" for folder in area if folder != "tests"]
            steps = [("area", area)] + ([("suite", [*rest, "tests"])] if rest else [])
            for step, paths in steps:
                code, _ = self.pytest(paths, plan.timeouts[step], plan.failing)
                if code not in (0, 5):  # 5: nothing collected, which kills nothing
                    how = f"{step}:{'timeout' if code == -1 else code}"
                    break
        finally:
            target.write_text(original)
        return Outcome(mutant, how != "survived", how, time.monotonic() - started)


@dataclass
class Plan:
    """What every mutant run shares: the tests failing without mutants, and the timeouts."""

    failing: list[str]
    timeouts: dict[str, float]


def baseline(space: Workspace, modules: list[str], timeout: float | None) -> Plan:
    """Check the copy is imported, a sanity mutant is killed, and note already-failing tests."""
    if not space.imported_from_copy():
        raise SystemExit("the tests would import the working tree, not the copy: aborting")
    sanity_module = modules[0]
    sanity = Mutant(sanity_module, 1, "sanity", "", (ROOT / sanity_module).read_text()
                    + "\nraise RuntimeError('mutation sanity check')\n")  # fmt: skip
    started = time.monotonic()
    code, output = space.pytest(["tests"], timeout or 3600, [], stop=False)
    suite_seconds = time.monotonic() - started
    failing = re.findall(r"^(?:FAILED|ERROR) (\S+)", output, flags=re.MULTILINE)
    if code not in (0, 1):
        raise SystemExit(f"the unmutated suite could not run (exit {code}):\n{output[-3000:]}")
    plan = Plan(failing, {"area": timeout or 3 * suite_seconds + 60})
    plan.timeouts["suite"] = timeout or 3 * suite_seconds + 120
    if failing:
        print(f"already failing without mutants (ignored): {', '.join(failing)}")
    if not space.run(sanity, plan).killed:
        raise SystemExit("the sanity mutant survived: the copy is not what the tests run")
    print(f"baseline: whole suite {suite_seconds:.0f}s, sanity mutant killed")
    return plan


def select(mutants: list[Mutant], args: argparse.Namespace) -> list[Mutant]:
    """Apply --max-mutants (per module) and --sample (overall), seeded."""
    rng = random.Random(args.seed)
    chosen: list[Mutant] = []
    for module in dict.fromkeys(m.module for m in mutants):
        own = [m for m in mutants if m.module == module]
        if args.max_mutants is not None and len(own) > args.max_mutants:
            own = sorted(rng.sample(own, args.max_mutants), key=lambda m: m.line)
        chosen += own
    if args.sample is not None and len(chosen) > args.sample:
        keep = set(map(id, rng.sample(chosen, args.sample)))
        chosen = [m for m in chosen if id(m) in keep]
    return chosen


def expand(patterns: list[str]) -> list[str]:
    """Module paths (relative to the root) for glob patterns, in order, without duplicates."""
    found: dict[str, None] = {}
    for pattern in patterns:
        # "security.py" and "identity/naming.py" are short for paths under src/notalabel
        paths = sorted(ROOT.glob(pattern)) or sorted(ROOT.glob(f"src/notalabel/{pattern}"))
        for path in paths:
            relative = path.resolve().relative_to(ROOT).as_posix()
            if path.name != "__init__.py" and path.is_file():
                found[relative] = None
    return list(found)


def report(outcomes: list[Outcome], equivalents: dict[str, str], seconds: float) -> Iterator[str]:
    """The score, the survivors and the time taken, as printable lines."""
    killed = sum(o.killed for o in outcomes)
    survivors = [o for o in outcomes if not o.killed]
    equivalent = [o for o in survivors if o.mutant.key in equivalents]
    total, real = len(outcomes), len(outcomes) - len(equivalent)
    yield f"score: {killed}/{total} killed ({100 * killed / max(total, 1):.0f}%)"
    yield f"       {killed}/{real} of the non-equivalent ({100 * killed / max(real, 1):.0f}%)"
    yield f"survivors ({len(survivors)}, {len(equivalent)} marked equivalent):"
    for o in survivors:
        mark = f"    [equivalent: {equivalents[o.mutant.key]}]" if o in equivalent else ""
        yield f"{o.mutant.module}:{o.mutant.line}: {o.mutant.description}{mark}"
        yield f"    in: {o.mutant.original}"
    yield f"took {seconds / 60:.1f} min"


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Generate, run and score the mutants; exit 1 when a non-equivalent mutant survived."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("extra", nargs="*", help="more modules (paths or globs) to mutate")
    parser.add_argument("--modules", nargs="+", default=list(DEFAULT_MODULES))
    parser.add_argument("--max-mutants", type=int, help="at most this many per module")
    parser.add_argument("--sample", type=int, help="at most this many in all, drawn at random")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, help="seconds per test run of one mutant")
    parser.add_argument("--budget", type=float, help="minutes; later mutants are not started")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--equivalents", type=Path, default=EQUIVALENTS)
    args = parser.parse_args(argv)
    # `timeout` and CI send SIGTERM: unwind, so the copies are deleted
    signal.signal(signal.SIGTERM, _terminate)

    started = time.monotonic()
    modules = expand([*args.modules, *args.extra])
    mutants = select([m for module in modules for m in generate(module)], args)
    counts = {module: sum(m.module == module for m in mutants) for module in modules}
    print(f"{len(mutants)} mutants: " + ", ".join(f"{m} {n}" for m, n in counts.items()))
    if args.list:
        for m in mutants:
            print(f"{m.key}    [{' '.join(area_tests(m.module))}]")
        return 0
    equivalents = load_equivalents(args.equivalents)
    with tempfile.TemporaryDirectory(prefix="notalabel-mutation-") as base:
        spaces = [Workspace(Path(base), index) for index in range(max(1, args.jobs))]
        plan = baseline(spaces[0], modules, args.timeout)
        free: queue.Queue[Workspace] = queue.Queue()
        for space in spaces:
            free.put(space)

        def run_one(numbered: tuple[int, Mutant]) -> Outcome:
            number, mutant = numbered
            if args.budget is not None and time.monotonic() - started > 60 * args.budget:
                return Outcome(mutant, killed=False, how="not run", seconds=0.0)
            space = free.get()
            try:
                outcome = space.run(mutant, plan)
            finally:
                free.put(space)
            state = f"killed ({outcome.how})" if outcome.killed else "SURVIVED"
            print(f"[{number}/{len(mutants)}] {state} {mutant.key} {outcome.seconds:.0f}s")
            return outcome

        with ThreadPoolExecutor(max_workers=len(spaces)) as pool:
            outcomes = list(pool.map(run_one, enumerate(mutants, 1)))
    not_run = [o for o in outcomes if o.how == "not run"]
    outcomes = [o for o in outcomes if o.how != "not run"]
    if not_run:
        print(f"{len(not_run)} mutants not run: the --budget was spent")
    for line in report(outcomes, equivalents, time.monotonic() - started):
        print(line)
    generated = {m.key for module in modules for m in generate(module)}
    stale = {key for key in equivalents if key.split(":")[0] in modules} - generated
    if stale:
        print(f"equivalents no mutant matched (stale line numbers?): {', '.join(sorted(stale))}")
    survivors = [o for o in outcomes if not o.killed and o.mutant.key not in equivalents]
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
