"""A Query answered from its partition's view (infra/moto_query_views.py), as moto answers it.

The query bisects to the slice its range condition allows and to its ExclusiveStartKey, reads from there to
the end of its page (Limit or moto's 1 MB), and then deep-copies, projects (KEYS_ONLY, INCLUDE) and filters
that page only, as moto does: the same items in the same order (ScanIndexForward false included), the same
Count, ScannedCount and LastEvaluatedKey. A query this does not cover (a legacy QueryFilter, multi-attribute
index keys, a key condition on another attribute, an invalid index) is None here, for moto to answer,
errors included.
"""

from __future__ import annotations

import copy
from typing import Any

from infra.moto_query_views import View, bounds, stored, table_views, view_of

_RESULT_SIZE_LIMIT = 1_000_000  # moto's page size limit (moto.dynamodb.models.table)
_ITEM_SIZE_LIMIT = 405_000  # moto refuses a larger item (moto.dynamodb.models.dynamo_type)


def answer(table: Any, hash_key: Any, range_comparison: Any, range_objs: Any, limit: Any, exclusive_start_key: Any,
           scan_index_forward: Any, projection_expressions: Any, index_name: str | None, consistent_read: bool,
           filter_expression: Any, hash_key_conditions: Any, range_key_conditions: Any,
           filter_kwargs: dict[str, Any]) -> Any:
    """Table.query's answer read from the partition's view, from where the page starts to where it ends; None
    for a query this does not cover (moto answers it, errors included)."""
    index: Any = None
    if filter_kwargs or (limit is not None and (not isinstance(limit, int) or limit < 1)):
        return None
    if index_name:
        index = next((i for i in table.all_indexes() if i.name == index_name), None)
        if index is None or (consistent_read and index in (table.global_indexes or [])):
            return None
        hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
        ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
        if len(hashes) != 1 or len(ranges) > 1 or (range_comparison and not ranges):
            return None
        if not hash_key_conditions or len(hash_key_conditions) != 1 or hash_key_conditions[0][0] != hashes[0]:
            return None
        partition_key, range_attr = hash_key_conditions[0][1], (ranges[0] if ranges else None)
    else:
        if hash_key is None:
            return None
        partition_key, range_attr = hash_key, table.range_key_attr
    if range_key_conditions and (len(range_key_conditions) != 1 or range_key_conditions[0][0] != range_attr
                                 or range_key_conditions[0][1] != range_comparison):
        return None
    if range_comparison and range_attr is None:
        return None
    for _ in range(2):
        try:
            return _page(table, view_of(table, index_name), index, index_name, partition_key, range_attr,
                         range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                         projection_expressions, filter_expression)
        except _Stale:  # the table's items were changed under its view (cleared in place): the view is made again
            table_views.get(table, {}).pop(index_name, None)
    return None


class _Stale(Exception):
    pass


def _live(table: Any, item: Any) -> bool:
    """True if the table still holds this item; otherwise the view answering from it is stale."""
    if stored(table, item.hash_key, item.range_key) is not item:
        raise _Stale
    return True


def _page(table: Any, view: View, index: Any, index_name: str | None, partition_key: Any, range_attr: str | None,
          range_comparison: Any, range_objs: Any, limit: Any, exclusive_start_key: Any, scan_index_forward: Any,
          projection_expressions: Any, filter_expression: Any) -> Any:
    """One page of the query from the partition's view, as Table.query reads it from its whole-table sort."""
    keys, items = view.keys.get(partition_key, []), view.items.get(partition_key, [])
    n, forward = len(keys), scan_index_forward is not False
    if index_name:
        hash_attrs: list[str] = [view.hash_attr, table.hash_key_attr]
        range_attrs: list[str | None] = [range_attr, table.range_key_attr] if range_attr else [
            table.range_key_attr or table.hash_key_attr, table.range_key_attr]
    else:
        hash_attrs, range_attrs = [table.hash_key_attr], [table.range_key_attr]

    def at(j: int) -> Any:  # the j-th item in the order the query reads
        return items[j] if forward else items[n - 1 - j]

    low, high = (0, n) if view.range_at is None else bounds(keys, view.range_at, range_comparison, range_objs)
    first, last = (low, high) if forward else (n - high, n - low)  # the slice, in reading order
    start = 0
    if exclusive_start_key is not None:  # the first item after the key, as moto finds it, by bisection
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            view.touched += 1
            if table._item_comes_before_dct(at(mid), exclusive_start_key, hash_attrs, range_attrs, forward):
                lo = mid + 1
            else:
                hi = mid
        start = lo
    results: list[Any] = []
    result_size = scanned_count = 0
    last_evaluated_key = None
    begin = max(start, first)
    for j in range(begin, max(begin, last)):
        result = at(j)
        view.touched += 1
        _live(table, result)
        if len(results) == limit or result_size + result.size() > _RESULT_SIZE_LIMIT:
            last_evaluated_key = table._get_last_evaluated_key(results[-1], index_name)
            break
        if not range_comparison:
            matched = True
        elif range_attr in result.attrs:
            matched = result.attrs[range_attr].compare(range_comparison, range_objs)
        else:
            matched = not index_name and result.range_key.compare(range_comparison, range_objs)
        if matched:
            results.append(result)
            result_size += result.size()
            scanned_count += 1
    else:  # moto reads on past the slice: the page ends there if it is full
        rest = range(max(start, last), n)
        if rest and results and (len(results) == limit and _live(table, at(rest[0])) or (
                result_size + _ITEM_SIZE_LIMIT > _RESULT_SIZE_LIMIT
                and any(_live(table, at(k)) and result_size + at(k).size() > _RESULT_SIZE_LIMIT for k in rest))):
            last_evaluated_key = table._get_last_evaluated_key(results[-1], index_name)
    results = copy.deepcopy(results)
    if index_name:
        results = [index.project(r) for r in results]
    if filter_expression is not None:
        results = [item for item in results if filter_expression.expr(item)]
    if projection_expressions:
        results = [r.project(projection_expressions) for r in results]
    return results, scanned_count, last_evaluated_key
