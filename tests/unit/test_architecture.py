"""The shape of the code, held by tests: one capability per folder on a small core, imports one way.

Every import counts, module-level or inside a function: a function-level import hides a cycle
from Python, not from this walk.
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"
CAPABILITIES = ("accounts", "audit", "avatars", "classifier", "console", "content", "dispositions", "docs",
                "eligibility", "filings", "groups", "identity", "logs", "metrics", "names", "reports", "rumours",
                "tenants")
# What a pure rule module may not reach: AWS, the network, the stores.
IMPURE = ("boto3", "botocore", "chalice", "urllib", "http", "socket", "chalicelib.core.aws", "chalicelib.core.dynamo",
          "chalicelib.core.stores", "chalicelib.core.crypto", "chalicelib.core.audit_trail")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


@cache
def imports_of(name: str) -> frozenset[str]:
    """Every chalicelib module `name` imports, wherever the import stands."""
    known = modules()
    found: set[str] = set()
    for node in ast.walk(ast.parse(known[name].read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    resolved = set()
    for target in found:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and target != "chalicelib":
            resolved.add(target)
    return frozenset(resolved)


def all_imports_of(name: str) -> set[str]:
    """Every module imported by `name`, including external packages (for the purity check)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(modules()[name].read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in imports_of(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(modules()):
        if name not in index:
            visit(name)
    return found


def test_no_import_cycle_anywhere():
    assert cycles() == []


def test_the_walk_sees_a_cycle_hidden_in_a_function(tmp_path, monkeypatch):
    # GIVEN two modules that import each other, one of them inside a function
    (tmp_path / "chalicelib").mkdir()
    (tmp_path / "chalicelib" / "a.py").write_text("from chalicelib import b\n")
    (tmp_path / "chalicelib" / "b.py").write_text("def f():\n    from chalicelib import a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "chalicelib")
    modules.cache_clear()
    imports_of.cache_clear()
    try:
        # WHEN the imports are walked THEN the cycle is found
        assert cycles() == [["chalicelib.a", "chalicelib.b"]]
    finally:
        modules.cache_clear()
        imports_of.cache_clear()


def test_core_imports_no_capability():
    upward = {(name, target) for name in modules() if name.startswith("chalicelib.core")
              for target in imports_of(name) if not target.startswith("chalicelib.core")}
    assert upward == set()


def test_every_module_lives_in_core_a_capability_or_the_entry_points():
    homes = {"core", "data", "jobs", *CAPABILITIES}
    stray = [n for n in modules() if n.count(".") >= 1 and n.split(".")[1] not in homes
             and n not in ("chalicelib.jobs", "chalicelib.cli")]
    assert stray == []


def test_routes_are_only_imported_by_the_app():
    importers = {(name, target) for name in modules() for target in imports_of(name)
                 if target.endswith("routes") and not name.endswith("routes")}
    assert importers == set()


@pytest.mark.parametrize("name", sorted(n for n in modules() if n.rpartition(".")[2] in ("rules", "minhash", "detector",
                                                                                         "policy_rules", "audit_chain")
                                        or n.endswith("_rules")))
def test_pure_rules_reach_no_aws_and_no_store(name):
    reached = {m for m in all_imports_of(name)
               if any(m == bad or m.startswith(bad + ".") for bad in IMPURE) or m.endswith(".store")}
    assert reached == set()


def test_dynamodb_expressions_stand_only_in_stores_and_core():
    """A use case says what is written; the store says how (no expression strings outside stores)."""
    markers = ("UpdateExpression", "KeyConditionExpression", "ConditionExpression", "FilterExpression",
               "ProjectionExpression")
    offenders = sorted(name for name, path in modules().items()
                       if not name.startswith("chalicelib.core") and not name.endswith("store")
                       and any(m in path.read_text() for m in markers))
    assert offenders == [], "DynamoDB expressions outside the stores"
