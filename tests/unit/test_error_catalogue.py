"""The error catalogue holds every code the product raises, with the status it is raised with, and nothing else.

The source is walked (ast): every call of an error class (core/errors.py) and every call passing `code=`.
A literal code is read as written; a code that is a parameter of the enclosing function is read at every
call of that function (`_refused(..., "AUDIT_HEAD_INTACT")`, `code_prefix="WEBHOOK"`); any other code
is computed, and its site must be listed in COMPUTED below with what it can produce, derived from the
product's own tables. A new computed site fails here until it is listed.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chalicelib.core import error_catalogue, errors, ids
from chalicelib.core.middleware import _CHALICE_ERRORS
from chalicelib.eligibility import gates
from chalicelib.identity import verification

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "chalicelib").rglob("*.py"))


def _error_classes() -> dict[str, type[errors.ComplianceError]]:
    found: dict[str, type[errors.ComplianceError]] = {"ComplianceError": errors.ComplianceError}
    pending = [errors.ComplianceError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found[sub.__name__] = sub
            pending.append(sub)
    return found


CLASSES = _error_classes()
HEADER = re.compile(r"[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)+")


@functools.cache
def _parsed(paths: tuple[Path, ...]) -> dict[Path, ast.Module]:
    every = _every_tree()
    return {path: every[path] if path in every else ast.parse(path.read_text(encoding="utf-8")) for path in paths}


@functools.cache
def _every_tree() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}


@dataclass(frozen=True)
class Site:
    module: str
    function: str
    line: int


def _identity_reasons() -> set[str]:
    """The gate's reasons without a domain (registration, founding, transfers): MB2018-7 and blacklists."""
    return {"NOT_VERIFIED", "VERIFICATION_EXPIRED", "BLACKLISTED"}


def _restricted(action: str) -> str:
    return gates._RESTRICTED[action][0]


def _image_codes() -> set[str]:
    tree = _parsed((ROOT / "chalicelib/avatars/images.py",))[ROOT / "chalicelib/avatars/images.py"]
    return {node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "ImageRefused" and isinstance(node.args[0], ast.Constant)}


def _header_codes() -> set[str]:
    """request_parts.check_headers names the header: every Param spelled as a header (If-Match, X-Actor)."""
    names = {node.args[0].value for tree in _parsed(tuple(SOURCES)).values() for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Param" and node.args
             and isinstance(node.args[0], ast.Constant) and HEADER.fullmatch(str(node.args[0].value))}
    return {name.upper().removeprefix("X-").replace("-", "_") + "_INVALID" for name in names}


# module:function -> the (code, status) pairs its computed code can take, from the product's own tables.
COMPUTED: dict[str, Callable[[], set[tuple[str, int]]]] = {
    "accounts/registration.py:register": lambda: {
        (f"SUBJECT_{c}", 403 if c in ("BLACKLISTED", "REGISTRATION_RESTRICTED") else 409)
        for c in _identity_reasons() | {_restricted("REGISTER")}},
    "accounts/registration_velocity.py:throttled": lambda: {
        (f"REGISTRATION_VELOCITY_{kind.upper()}", 429) for kind in ("ip", "device", "phone")},
    "accounts/transfers.py:apply": lambda: {
        (f"TRANSFEREE_{c}", 409) for c in _identity_reasons() | {_restricted("REGISTER")}},
    "groups/founding.py:_refuse_gate": lambda: {
        (f"SUBJECT_{c}", 403 if c == "BLACKLISTED" or c.endswith("_RESTRICTED") else 409)
        for c in _identity_reasons() | {_restricted("FOUND_GROUP"), _restricted("JOIN_GROUP")}},
    "avatars/checks.py:hashed": lambda: {
        (c, 413 if c == "IMAGE_TOO_LARGE" else 422) for c in _image_codes()},
    "core/auth.py:authenticate": lambda: {(c, 401) for c in ("API_KEY_INVALID", "API_KEY_REVOKED", "API_KEY_EXPIRED")},
    "core/ids.py:not_found": lambda: {(kind.code, 404) for kind in ids.Kind},
    "core/request_parts.py:check_headers": lambda: {(c, 400) for c in _header_codes()},
    "identity/verification.py:_verify": lambda: {(code, 422) for code, _, _ in verification._REFUSED.values()},
    "core/middleware.py:_as_envelope": lambda: {(kind.code, kind.status) for kind in _CHALICE_ERRORS.values()},
}


class Walker:
    def __init__(self, sources: list[Path]) -> None:
        self.trees = _parsed(tuple(sources))
        self.calls: dict[ast.Module, list[tuple[ast.FunctionDef | None, ast.Call]]] = {}
        self.owner: dict[ast.FunctionDef, ast.Module] = {}
        self.raised: dict[tuple[str, int], list[Site]] = {}
        self.computed: set[str] = set()

    def run(self) -> None:
        for tree in self.trees.values():
            self.calls[tree] = list(_calls(tree))
            self.owner.update({node: tree for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)})
        for path, tree in self.trees.items():
            module = str(path.relative_to(ROOT / "chalicelib")) if path.is_relative_to(ROOT) else path.name
            for function, call in self.calls[tree]:
                self._call(tree, module, function, call)

    def _call(self, tree: ast.Module, module: str, function: ast.FunctionDef | None, call: ast.Call) -> None:
        callee = _name(call.func)
        code = next((k.value for k in call.keywords if k.arg == "code"), None)
        cls = CLASSES.get(callee or "")
        site = Site(module, function.name if function else "<module>", call.lineno)
        if cls is None and code is None:
            if function is not None and isinstance(call.func, ast.Name) and callee in _class_variables(tree, function):
                # a local name holding an error class chosen at run time (middleware's `kind(...)`)
                self._computed(site)
            return
        if cls is not None and code is None:
            self._add(cls.code, cls.status, site)
            return
        assert code is not None
        values = self._values(code, function)
        if values is None or cls is None:
            self._computed(site)
            return
        for value in values:
            self._add(value, cls.status, site)

    def _computed(self, site: Site) -> None:
        key = f"{site.module}:{site.function}"
        assert key in COMPUTED, f"{key} (line {site.line}) raises a computed code: list it in COMPUTED"
        self.computed.add(key)
        for value, status in COMPUTED[key]():
            self._add(value, status, site)

    def _values(self, node: ast.expr, function: ast.FunctionDef | None) -> set[str] | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            body, orelse = self._values(node.body, function), self._values(node.orelse, function)
            return None if body is None or orelse is None else body | orelse
        if isinstance(node, ast.JoinedStr):
            return self._joined(node, function)
        if isinstance(node, ast.Name) and function is not None and node.id in _parameters(function):
            return self._arguments(function, node.id)
        return None

    def _joined(self, node: ast.JoinedStr, function: ast.FunctionDef | None) -> set[str] | None:
        results = {""}
        for part in node.values:
            if isinstance(part, ast.Constant):
                results = {r + str(part.value) for r in results}
                continue
            assert isinstance(part, ast.FormattedValue)
            options = self._values(part.value, function)
            if options is None:
                return None
            results = {r + o for r in results for o in options}
        return results

    def _arguments(self, function: ast.FunctionDef, parameter: str) -> set[str] | None:
        """Every value passed for `parameter` at every call of `function`: a keyword-only parameter where a
        call of that name passes it, anywhere in the product; a positional one at calls by bare name in the
        function's own module (the module-private helpers that take a code)."""
        keyword_only = parameter in [a.arg for a in function.args.kwonlyargs]
        position = _parameters(function).index(parameter)
        found: set[str] = set()
        calls = 0
        for tree in self.trees.values() if keyword_only else [self.owner[function]]:
            for caller, call in self.calls[tree]:
                given = next((k.value for k in call.keywords if k.arg == parameter), None)
                if _name(call.func) != function.name or (keyword_only and given is None):
                    continue
                if not keyword_only and not isinstance(call.func, ast.Name):
                    continue
                calls += 1
                if given is None and position < len(call.args):
                    given = call.args[position]
                values = None if given is None else self._values(given, caller)
                if values is None:
                    return None
                found |= values
        return found if calls else None

    def _add(self, code: str, status: int, site: Site) -> None:
        self.raised.setdefault((code, status), []).append(site)


def _calls(tree: ast.Module) -> Iterator[tuple[ast.FunctionDef | None, ast.Call]]:
    def visit(node: ast.AST, function: ast.FunctionDef | None) -> Iterator[tuple[ast.FunctionDef | None, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else function
            if isinstance(child, ast.Call):
                yield function, child
            yield from visit(child, inner)
    return visit(tree, None)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _assignments(body: list[ast.stmt] | ast.AST) -> Iterator[tuple[str, ast.expr]]:
    nodes = body if isinstance(body, list) else list(ast.walk(body))
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    yield target.id, node.value


@functools.cache
def _holders(tree: ast.Module) -> set[str]:
    return {name for name, value in _assignments(tree.body) if _mentions(value, set(CLASSES))}


@functools.cache
def _class_variables(tree: ast.Module, function: ast.FunctionDef) -> set[str]:
    """Local names holding an error class: assigned from an expression naming one, or naming a module-level
    mapping of them (middleware's `kind = _CHALICE_ERRORS.get(...)`)."""
    holders = _holders(tree)
    return {name for name, value in _assignments(function) if _mentions(value, set(CLASSES) | holders)}


def _parameters(function: ast.FunctionDef) -> list[str]:
    args = function.args
    return [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]


@pytest.fixture(scope="module")
def walked() -> Walker:
    walker = Walker(SOURCES)
    walker.run()
    return walker


def _gateway_codes() -> dict[str, int | str]:
    template = json.loads((ROOT / "infra/template.json").read_text(encoding="utf-8"))
    found: dict[str, int | str] = {}
    for resource in template["Resources"].values():
        if resource.get("Type") != "AWS::ApiGateway::GatewayResponse":
            continue
        props = resource["Properties"]
        body = json.loads(props["ResponseTemplates"]["application/json"].replace("$context.requestId", "r"))
        status = props.get("StatusCode") or props["ResponseType"].removeprefix("DEFAULT_")
        found[body["error"]["code"]] = int(status) if str(status).isdigit() else status
    return found


def test_every_raised_code_is_catalogued_with_the_status_it_is_raised_with(walked):
    # GIVEN every code the source raises, with its status
    catalogue = error_catalogue.by_code()
    # WHEN each is looked up in the catalogue
    missing = {code: [f"{s.module}:{s.line}" for s in sites][:3]
               for (code, _), sites in walked.raised.items() if code not in catalogue}
    wrong = {code: (status, catalogue[code].status)
             for (code, status) in walked.raised if code in catalogue and catalogue[code].status != status}
    # THEN none is missing and none is catalogued with another status
    assert not missing, f"raised but not in core/error_catalogue.json: {missing}"
    assert not wrong, f"raised with (status, catalogued status): {wrong}"


def test_every_catalogued_code_is_raised_by_something(walked):
    # GIVEN the catalogue and the codes raised by the source and by the gateway's templates
    raised = {code for code, _ in walked.raised} | set(_gateway_codes())
    # WHEN the catalogue is compared with them
    unused = sorted(set(error_catalogue.by_code()) - raised)
    # THEN no code is catalogued that nothing raises
    assert not unused, f"catalogued but raised by nothing: {unused}"


def test_every_computed_site_listed_still_computes_a_code(walked):
    # GIVEN the computed sites listed here  THEN each is still a site in the source (no stale entry)
    assert walked.computed == set(COMPUTED)


def test_the_gateways_own_answers_are_catalogued_with_their_status():
    catalogue = error_catalogue.by_code()
    for code, status in _gateway_codes().items():
        assert code in catalogue and catalogue[code].status == status, code


def test_each_entry_has_both_messages_and_a_known_article_form():
    for entry in error_catalogue.entries():
        assert entry.message.strip() and entry.message_zh.strip(), entry.code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.message_zh), entry.code
        assert entry.article is None or entry.article[:2] in ("MB", "GR", "PA", "RL", "BJ"), entry.code
    codes = [entry.code for entry in error_catalogue.entries()]
    assert codes == sorted(set(codes))


def test_a_new_raise_of_an_uncatalogued_code_is_caught(tmp_path):
    # GIVEN a module that raises a code the catalogue lacks, and one that computes a code no table explains
    bad = tmp_path / "bad.py"
    bad.write_text("from chalicelib.core.errors import Conflict\n\n"
                   "def f():\n    raise Conflict('x', code='NOBODY_CATALOGUED_THIS')\n\n"
                   "def g(x):\n    raise Conflict('x', code=x.upper())\n")
    walker = Walker([bad])
    # WHEN the walk meets them THEN the computed one is refused and the literal one is found
    with pytest.raises(AssertionError, match="raises a computed code"):
        walker.run()
    assert ("NOBODY_CATALOGUED_THIS", 409) in walker.raised


def test_a_catalogued_code_raised_with_another_status_is_caught(tmp_path, walked):
    # GIVEN a module that raises a catalogued 401 code as a 400 (one code with two meanings)
    bad = tmp_path / "two_statuses.py"
    bad.write_text("from chalicelib.core.errors import InvalidRequest\n\n"
                   "def f():\n    raise InvalidRequest('x', code='API_KEY_INVALID')\n")
    walker = Walker([bad])
    walker.run()
    # WHEN its codes are held to the catalogue THEN the 400 is a status the catalogue does not give the code
    catalogue = error_catalogue.by_code()
    assert [(c, s) for c, s in walker.raised if catalogue[c].status != s] == [("API_KEY_INVALID", 400)]
    # AND in the product itself every code has exactly one status, the catalogue's
    statuses: dict[str, set[int]] = {}
    for code, status in walked.raised:
        statuses.setdefault(code, set()).add(status)
    assert {c: s for c, s in statuses.items() if len(s) > 1} == {}
