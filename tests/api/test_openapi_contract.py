"""The served OpenAPI document declares what the server enforces, so a client (or a fuzzer) that
keeps to it is never refused for its form, and every answer it can get is listed.

- a path id carries the pattern the wrapper checks (PATH_ID, 400 PATH_PARAMETER_INVALID), or the
  narrower one its handler checks;
- a paginated listing's cursor carries the spelling core/dynamo reads (400 CURSOR_INVALID);
- a creating operation links to the operations that take the ids its answer carries;
- every status a handler can raise is declared on its operation: found by walking what the handler
  calls (below, "What a handler can raise"), not by reading its declaration.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import textwrap
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.core import validation
from chalicelib.core.dynamo import CURSOR_PATTERN
from chalicelib.core.errors import ComplianceError
from chalicelib.core.operation_spec import OPERATIONS, Operation, path_params
from chalicelib.core.request_parts import PATH_ID


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    import app as application
    from chalicelib.core import openapi

    return openapi.document(application.app)


def operations() -> list[Operation]:
    import app  # noqa: F401  (registers every operation)

    return sorted(OPERATIONS.values(), key=lambda op: (op.path, op.method))


def declared(document: dict[str, Any], op: Operation) -> dict[str, Any]:
    return document["paths"][op.path][op.method.lower()]


def parameter(document: dict[str, Any], op: Operation, where: str, name: str) -> dict[str, Any]:
    found = [p for p in declared(document, op).get("parameters", []) if (p["in"], p["name"]) == (where, name)]
    assert len(found) == 1, (op.operation_id, where, name)
    return found[0]


def body_schema(name: str) -> dict[str, Any]:
    """A schema file with its `$ref`s inlined, as the server validates with it."""
    return validation.validator(name).schema


# -- path ids ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("op", [op for op in operations() if path_params(op.path)], ids=lambda op: op.operation_id)
def test_a_path_id_declares_the_pattern_the_server_checks(document, op):
    # GIVEN an operation with ids in its path
    for name in path_params(op.path):
        # WHEN its parameter is read from the document
        schema = parameter(document, op, "path", name)["schema"]
        # THEN it is PATH_ID, or a narrower pattern its handler checks that PATH_ID admits too
        if name not in op.path_schemas:
            assert schema == {"type": "string", "pattern": f"^{PATH_ID.pattern}$"}, (op.operation_id, name)
        else:
            assert schema == op.path_schemas[name] and schema["pattern"].startswith("^"), (op.operation_id, name)


def test_a_narrower_path_schema_admits_exactly_what_its_handler_admits(api, tenant):
    # GIVEN the avatar banks, whose handler upper-cases the bank and knows PROTECTED and BANNED
    op = OPERATIONS[("/v1/avatars/banks/{bank}/entries", "GET")]
    pattern = re.compile(op.path_schemas["bank"]["pattern"])
    for bank in ("PROTECTED", "banned", "Protected", "other", "PROTECTEDX", "BANNE"):
        # WHEN it is listed, THEN the handler refuses exactly what the pattern refuses
        answer = api.call("GET", f"/v1/avatars/banks/{bank}/entries", key=tenant.key)
        assert (answer.status_code == 200) == bool(pattern.fullmatch(bank)), (bank, answer.json)
        assert bool(pattern.fullmatch(bank)) or answer.json["error"]["code"] == "BANK_INVALID"


# -- cursors ----------------------------------------------------------------------------------------

def paginated(op: Operation) -> bool:
    answer = op.responses.get(200)
    return answer is not None and "next_cursor" in body_schema(answer).get("properties", {})


@pytest.mark.parametrize("op", [op for op in operations() if paginated(op)], ids=lambda op: op.operation_id)
def test_a_paginated_listing_declares_the_cursor_spelling(document, op):
    # GIVEN a listing that answers a next_cursor, WHEN its cursor parameter is read from the document
    schema = parameter(document, op, "query", "cursor")["schema"]
    # THEN it is spelled as core/dynamo reads a cursor (empty: the first page), and bounded
    assert schema["pattern"] == CURSOR_PATTERN and schema["type"] == "string" and schema["maxLength"] <= 4096


@pytest.mark.parametrize("cursor", ["a b", "abc=", "%00", "ab/c+d", "\u00e9"])
def test_a_cursor_outside_the_declared_spelling_is_refused(api, tenant, cursor):
    # GIVEN a cursor the declared pattern refuses
    assert not re.fullmatch(CURSOR_PATTERN, cursor)
    # WHEN a listing is paged with it, THEN it is a 400, never a page
    answer = api.call("GET", "/v1/cases?" + urlencode({"cursor": cursor}), key=tenant.key)
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "CURSOR_INVALID"), answer.json


# -- links ------------------------------------------------------------------------------------------

def path_names() -> set[str]:
    return {name for op in operations() for name in path_params(op.path)}


def answered_ids(op: Operation) -> dict[str, str]:
    """Ids a creating operation's answer carries (required, named like a path parameter), with their pointers."""
    schema = body_schema(op.responses[201])
    found = {n: f"/{n}" for n in schema.get("required", []) if n in path_names()}
    items = schema.get("properties", {}).get("items", {}).get("items", {})
    found.update({n: f"/items/0/{n}" for n in items.get("required", []) if n in path_names()})
    return found


def creators() -> list[Operation]:
    return [op for op in operations() if 201 in op.responses and answered_ids(op)]


def takers(op: Operation, name: str) -> list[Operation]:
    """Operations that take id `name` in their path (every other path id coming from `op`'s own path, or
    from its answer); those of `op`'s own collection if it belongs to one (a bank's entry_id is not a lexicon's)."""
    fillable = set(path_params(op.path)) | set(answered_ids(op))
    found = [t for t in operations() if name in path_params(t.path) and set(path_params(t.path)) <= fillable]
    own = [t for t in found if op.path.startswith(t.path.partition("/{" + name + "}")[0])
           or t.path.partition("/{" + name + "}")[0].startswith(op.path)]
    return own or found


@pytest.mark.parametrize("op", creators(), ids=lambda op: op.operation_id)
def test_a_creating_operation_links_to_every_operation_taking_its_ids(document, op):
    # GIVEN an operation whose answer carries ids that other operations take in their path
    links = declared(document, op)["responses"]["201"].get("links", {})
    for name, pointer in answered_ids(op).items():
        # WHEN its links are read, THEN every operation taking one of those ids is linked, fed from the answer
        assert op.produces.get(name) == pointer, (op.operation_id, name)
        for target in takers(op, name):
            link = links.get(target.operation_id)
            assert link is not None, (op.operation_id, name, target.operation_id)
            assert link["parameters"][f"path.{name}"] == "$response.body#" + pointer


def test_a_link_fills_every_path_id_and_names_real_parameters(document):
    # GIVEN every link of the document
    by_id = {op.operation_id: op for op in operations()}
    for op in operations():
        for answer in declared(document, op)["responses"].values():
            for name, link in answer.get("links", {}).items():
                target = by_id[link["operationId"]]
                # THEN it fills all of the target's path ids, and only parameters the target has
                names = {f"path.{n}" for n in path_params(target.path)}
                names |= {f"query.{p.name}" for p in target.query} | {f"header.{p.name}" for p in target.headers}
                assert {f"path.{n}" for n in path_params(target.path)} <= set(link["parameters"]) <= names, name
                assert all(v.startswith(("$response.body#/", "$request.path.")) for v in link["parameters"].values())


def test_a_report_receipt_links_to_its_status_with_the_tracking_token(document):
    # GIVEN the receipt of a filed report, WHEN its link to the status is read
    op = OPERATIONS[("/v1/reports", "POST")]
    link = declared(document, op)["responses"]["201"]["links"]["report_status"]
    # THEN the reporter's token goes in the header, as the status operation prefers it
    assert link["parameters"] == {"path.report_id": "$response.body#/report_id",
                                  "header.X-Tracking-Token": "$response.body#/tracking_token"}


# -- statuses ---------------------------------------------------------------------------------------

# Paths the walk below follows but no request can take; each with the reason it cannot.
NO_INPUT = "a request without input gives the store only values the API made (400 STORE_REJECTED_INPUT)"
NO_TENANT_DELETION = "an authenticated key's tenant exists: no operation deletes a tenant (404 TENANT_NOT_FOUND)"
HASHED_KEYS_ONLY = ("the gates check hashed keys: only POST /v1/blacklist/check sends a raw document or phone "
                    "(422 BLACKLIST_ITEM_MISMATCH, DOCUMENT_INVALID)")
UNREACHABLE: dict[tuple[str, int], str] = {
    ("list_api_keys", 400): NO_INPUT, ("lexicon", 400): NO_INPUT, ("get_policy", 400): NO_INPUT,
    ("current_tenant", 400): NO_INPUT,
    ("current_tenant", 404): NO_TENANT_DELETION, ("create_api_key", 404): NO_TENANT_DELETION,
    ("can_publish", 422): HASHED_KEYS_ONLY, ("join_group", 422): HASHED_KEYS_ONLY,
}


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_every_status_a_handler_can_raise_is_declared(document, op):
    # GIVEN what the operation's handler can raise, found by walking what it calls
    found = raisable(handler_of(op))
    # WHEN the operation's answers are read from the document
    answers = {int(status) for status in declared(document, op)["responses"]}
    # THEN every status it can raise is among them (with the call path that raises it, when not)
    missing = {error.status: trail for error, trail in found.items()
               if error.status not in answers and (op.operation_id, error.status) not in UNREACHABLE}
    assert not missing, {status: " -> ".join(trail) for status, trail in missing.items()}


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_every_status_an_operation_declares_its_handler_can_raise(op):
    # GIVEN the statuses an operation declares as its own (`errors=`; 400 is also the wrapper's)
    # WHEN its handler is walked, THEN it can raise each of them: the document promises no refusal it never gives
    assert set(op.errors) - {400} <= {error.status for error in raisable(handler_of(op))}


@pytest.mark.parametrize("key", sorted(UNREACHABLE), ids=str)
def test_an_unreachable_path_is_one_the_walk_still_finds_and_the_document_leaves_out(document, key):
    # GIVEN a path the walk follows that no request can take, WHEN the walk and the document are read
    op = next(op for op in operations() if op.operation_id == key[0])
    # THEN the walk still finds it and the status is undeclared (else the exception is stale: remove it)
    assert key[1] in {error.status for error in raisable(handler_of(op))}
    assert str(key[1]) not in declared(document, op)["responses"]


def test_the_walk_finds_a_refusal_several_calls_deep_and_drops_one_caught_on_the_way():
    # GIVEN a handler whose use case raises 409 two calls down, and one that catches every refusal
    from chalicelib.core.errors import Conflict, NotFound

    def deep() -> None:
        raise Conflict("x")

    def middle() -> None:
        deep()

    def handler() -> None:
        middle()
        try:
            raise NotFound("y")
        except ComplianceError:
            pass

    # WHEN it is walked, THEN the 409 is found with its path, and the caught 404 is not
    found = raisable(handler)
    assert {e.status for e in found} == {409}
    assert found[Conflict][-1].endswith("deep")


# -- What a handler can raise ------------------------------------------------------------------------
# A static walk from the handler through every chalicelib function it names: module functions, methods
# of receivers whose class is known (self, annotated parameters and attributes, a local made by a call
# of a class or of a function annotated to return one), and, for a receiver of unknown class, every
# chalicelib method of that name (builtin container method names excepted). A refusal class named
# outside an `except` clause counts as raised, unless an enclosing `try` catches it.

BUILTIN_METHODS = {name for kind in (dict, list, set, frozenset, str, bytes, tuple, int) for name in dir(kind)}


def handler_of(op: Operation) -> Any:
    import app as application

    view = application.app.routes[op.path][op.method].view_function
    return inspect.getclosurevars(view).nonlocals["handler"]


def _ours(obj: Any) -> bool:
    return (getattr(obj, "__module__", None) or "").startswith(("chalicelib", __name__))


@functools.lru_cache(maxsize=None)
def _classes() -> tuple[type, ...]:
    import sys

    return tuple(value for name, module in list(sys.modules.items()) if name.startswith("chalicelib") and module
                 for value in vars(module).values()
                 if isinstance(value, type) and value.__module__ == name and not issubclass(value, BaseException))


def _function(value: Any) -> Any:
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    if isinstance(value, property):
        value = value.fget
    return value if inspect.isfunction(value) else None


def _method(cls: type, name: str) -> Any:
    return next((_function(c.__dict__[name]) for c in cls.__mro__ if name in c.__dict__), None)


@functools.lru_cache(maxsize=None)
def _scope(f: Any) -> dict[str, Any]:
    return {**f.__globals__, **inspect.getclosurevars(f).nonlocals}


def _annotation(f: Any, name: str) -> type | None:
    raw = f.__annotations__.get(name)
    if isinstance(raw, str):
        try:
            raw = eval(raw, _scope(f))  # noqa: S307 - the project's own annotations
        except Exception:  # a forward reference or a generic alias: no class to follow
            return None
    return raw if isinstance(raw, type) else None


def _owner(f: Any) -> type | None:
    parts = f.__qualname__.split(".")
    owner = f.__globals__.get(parts[-2]) if len(parts) >= 2 else None
    return owner if isinstance(owner, type) else None


def _lookup(f: Any, node: ast.expr, typed: dict[str, type]) -> tuple[str, Any]:
    """("object", value) for a name or attribute chain resolved in `f`'s scope; ("instance", class) for a
    receiver whose class is known; ("unknown", None) otherwise."""
    if isinstance(node, ast.Name):
        if node.id in ("self", "cls"):
            return "instance", _owner(f)
        if node.id in typed:
            return "instance", typed[node.id]
        scope = _scope(f)
        return ("object", scope[node.id]) if node.id in scope else ("instance", _annotation(f, node.id))
    if isinstance(node, ast.Attribute):
        kind, base = _lookup(f, node.value, typed)
        if kind == "object":
            return ("object", getattr(base, node.attr)) if hasattr(base, node.attr) else ("unknown", None)
        if kind == "instance" and base is not None:
            if not _ours(base):
                return "foreign", None
            method = _method(base, node.attr)
            if method is not None:
                return "object", method
            init = _method(base, "__init__")
            held = _annotation(init, node.attr) if init else None
            return ("instance", held) if held else ("unknown", None)
    if isinstance(node, ast.Call):
        kind, callee = _lookup(f, node.func, typed)
        if kind == "object" and isinstance(callee, type):
            return "instance", callee
        if kind == "object" and inspect.isfunction(callee):
            return "instance", _annotation(callee, "return")
    return "unknown", None


def _typed_locals(f: Any, node: ast.FunctionDef) -> dict[str, type]:
    typed = {a.arg: cls for a in node.args.args + node.args.kwonlyargs if (cls := _annotation(f, a.arg))}
    for assign in ast.walk(node):
        if isinstance(assign, ast.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Name):
            kind, cls = _lookup(f, assign.value, {})
            if kind == "instance" and cls is not None:
                typed[assign.targets[0].id] = cls
    return typed


def _targets(f: Any, node: ast.expr, typed: dict[str, type]) -> Iterator[Any]:
    """Refusal classes and chalicelib functions that the expression names."""
    kind, value = _lookup(f, node, typed)
    if kind == "unknown" and isinstance(node, ast.Attribute) and node.attr not in BUILTIN_METHODS:
        yield from (m for cls in _classes() if (m := _function(cls.__dict__.get(node.attr))))
    elif isinstance(value, type) and issubclass(value, ComplianceError):
        yield value
    elif inspect.ismethod(value) and _ours(value.__func__):
        yield value.__func__
    elif inspect.isfunction(value) and _ours(value):
        yield value
    elif isinstance(value, type) and _ours(value):
        yield from (m for name in ("__init__", "__post_init__", "__call__") if (m := _method(value, name)))


def _caught(f: Any, handlers: list[ast.ExceptHandler]) -> tuple[type, ...]:
    caught: list[type] = []
    for handler in handlers:
        names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for name in names:
            kind, value = _lookup(f, name, {}) if name is not None else ("object", BaseException)
            if kind == "object" and isinstance(value, type) and issubclass(ComplianceError, value):
                caught.append(ComplianceError)  # Exception, BaseException: every refusal
            elif kind == "object" and isinstance(value, type) and issubclass(value, ComplianceError):
                caught.append(value)
    return tuple(caught)


@functools.lru_cache(maxsize=None)
def _source(f: Any) -> ast.FunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(f)))
    except (OSError, TypeError, SyntaxError):
        return None
    node = tree.body[0]
    return node if isinstance(node, ast.FunctionDef) else None


_walked: dict[Any, dict[type, tuple[str, ...]]] = {}


def raisable(f: Any, stack: frozenset[Any] = frozenset()) -> dict[type, tuple[str, ...]]:
    """Every refusal class `f` can raise, each with one call path (qualified names) that raises it."""
    if f in _walked:
        return _walked[f]
    node = _source(f)
    if node is None or f in stack:
        return {}
    typed, found = _typed_locals(f, node), {}

    def visit(tree: ast.AST, caught: tuple[type, ...]) -> None:
        if isinstance(tree, ast.Try):
            inner = caught + _caught(f, tree.handlers)
            for child in tree.body:
                visit(child, inner)
            for child in [*tree.handlers, *tree.orelse, *tree.finalbody]:
                visit(child, caught)
            return
        if isinstance(tree, ast.ExceptHandler):
            for child in tree.body:
                visit(child, caught)
            return
        if isinstance(tree, (ast.Name, ast.Attribute)) and isinstance(tree.ctx, ast.Load):
            for target in _targets(f, tree, typed):
                deeper = {target: ()} if isinstance(target, type) else raisable(target, stack | {f})
                for error, trail in deeper.items():
                    if not issubclass(error, caught) and error not in found:
                        found[error] = (f.__qualname__, *trail)
        for child in ast.iter_child_nodes(tree):
            visit(child, caught)

    for statement in node.body:
        visit(statement, ())
    _walked[f] = found  # a cycle back into `f` was cut short above; the walk is a bound, not a proof
    return found
