"""A schema with its `$ref`s inlined (from `schemas`, every schema file by name), for compiling once per
container.
"""

from __future__ import annotations

from typing import Any


def inlined(node: Any, owner: str, schemas: dict[str, dict[str, Any]],
            trail: tuple[tuple[str, str], ...] = ()) -> Any:
    """The schema with every `$ref` replaced by its target, so validation never resolves a reference.

    jsonschema spends about half of a small document's validation time resolving `$ref`s
    through the registry; the product's schemas are not recursive, so they can be inlined
    once per container. The files keep their `$ref`s as the single source of truth.
    """
    if isinstance(node, list):
        return [inlined(item, owner, schemas, trail) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target_file, _, pointer = ref.partition("#")
        target_file = target_file or owner
        if (target_file, pointer) in trail:
            raise ValueError(f"recursive schema reference {ref} in {owner}")
        target: Any = schemas[target_file]
        for part in filter(None, pointer.split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        resolved = inlined(target, target_file, schemas, trail + ((target_file, pointer),))
        siblings = {k: inlined(v, owner, schemas, trail) for k, v in node.items() if k != "$ref"}
        return {"allOf": [resolved, siblings]} if siblings else resolved
    return {k: inlined(v, owner, schemas, trail) for k, v in node.items() if k not in ("$id", "$schema", "$defs")}
