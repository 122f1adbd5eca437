"""OpenAPI links, so a stateful client or fuzzer can follow a created resource to where it is used.

An operation that creates a resource names what its answer hands on (`produces=`, parameter ->
JSON pointer into the body). It links to every operation that takes one of those ids as a path
parameter or as a required top-level body field, when all of that operation's path parameters can be
filled from the answer or from the creating request's own path. When the creator belongs to the
collection of some operations taking an id (``/v1/names/terms`` for ``/v1/names/terms/{entry_id}``),
the id goes only to those: a bank's entry_id is not a lexicon's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.core import validation
from chalicelib.core.operation_spec import Operation, path_params


def of(op: Operation, operations: list[Operation]) -> dict[str, Any]:
    """The links of `op`'s success answer, by target operationId."""
    links = {}
    for target in operations:
        fill = _fill(op, target)
        if fill is None:
            continue
        strays = {name for name in fill.ids if not _scoped(op, target, name, operations)}
        if any(f"path.{name}" in fill.parameters for name in strays) or strays == fill.ids:
            continue  # a path id from another collection: not this resource's operation
        link: dict[str, Any] = {"operationId": target.operation_id, "parameters": fill.parameters}
        body = {name: value for name, value in fill.body.items() if name not in strays}
        if body:
            link["requestBody"] = body
        links[target.operation_id] = link
    return links


@dataclass(frozen=True)
class Fill:
    """How a link fills its target: parameters (``path.x`` -> expression), body fields, and the ids used."""

    parameters: dict[str, str]
    body: dict[str, str]
    ids: frozenset[str]


def _fill(op: Operation, target: Operation) -> Fill | None:
    """What `op`'s answer and its own path fill in `target`; None if `target` takes none of the ids `op`
    produces as a path parameter or required body field, or has a path parameter neither can fill."""
    answer = {name: "$response.body#" + pointer for name, pointer in op.produces.items()}
    own = {name: f"$request.path.{name}" for name in path_params(op.path)}
    parameters = {}
    for name in path_params(target.path):
        if name not in answer and name not in own:
            return None
        parameters[f"path.{name}"] = answer.get(name) or own[name]
    for where, params in (("query", target.query), ("header", target.headers)):
        parameters.update({f"{where}.{p.name}": answer[p.name] for p in params if p.name in answer})
    body = {name: answer[name] for name in _required_fields(target) if name in answer}
    ids = frozenset(n for n in op.produces if f"path.{n}" in parameters or n in body)
    return Fill(parameters, body, ids) if ids else None


def _required_fields(target: Operation) -> list[str]:
    if not target.request_schema:
        return []
    schema = validation.all_schemas()[target.request_schema]
    return [name for name in schema.get("required", []) if name in schema.get("properties", {})]


def _scoped(op: Operation, target: Operation, name: str, operations: list[Operation]) -> bool:
    """An id goes to the operations of its own collection when `op` belongs to one: a bank's entry_id to
    that bank's entries, not to a lexicon's."""
    def related(other: Operation) -> bool:
        if name not in path_params(other.path):
            return False  # taken in the body: no collection of its own
        collection = other.path.partition("/{" + name + "}")[0]
        return op.path.startswith(collection) or collection.startswith(op.path)

    def takes(other: Operation) -> bool:
        fill = _fill(op, other)
        return fill is not None and name in fill.ids

    return related(target) or not any(related(t) and takes(t) for t in operations)

