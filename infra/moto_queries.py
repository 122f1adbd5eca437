"""Query (on a table or an index) on the `make run` stack's moto server, at a cost bounded by what it reads.

A Query sorts every item of the table to keep those of one partition, and a Query on an index reads and
sorts every item of the table too, so every read of a filled table slows down the same way (an audit
verification's 20 pages, a name index compile reading a 6,000-entry lexicon in 5 pages of 71-80 s each,
a scheduled sweep unit taking 12 s with 110,000 items: past the client's read timeout, 503). A page with
ExclusiveStartKey then walks from the partition's start to its key, and a range condition is tested item
by item. `install` puts three things in moto's place:
- per-partition views of the table and each index, kept in step with every write (infra/moto_query_views.py);
- a query answered from its partition's view, reading only its page, with moto's own answer
  (infra/moto_query_pages.py); a query that does not cover falls back to moto's, reading the one partition
  when it is on the table;
- the answer's items written as JSON directly instead of through moto's serializer (infra/moto_query_json.py).
The product runs no Scan; moto's is left as it is.
"""

from __future__ import annotations

import threading
from typing import Any

from infra import moto_query_json, moto_query_pages
from infra.moto_query_views import lock, table_views, written

_partition = threading.local()


def install(models: Any) -> None:
    """Queries answered from the views, writes keeping them in step, and the answer's items written as JSON."""
    from moto.dynamodb.models.table import Table

    if hasattr(Table.query, "moto_query"):
        return
    query, all_items = Table.query, Table.all_items
    put_item, delete_item = Table.put_item, Table.delete_item
    update_item = models.DynamoDBBackend.update_item

    def bounded_query(self: Any, hash_key: Any, range_comparison: Any, range_objs: Any, limit: Any,
                      exclusive_start_key: Any, scan_index_forward: Any, projection_expressions: Any,
                      index_name: str | None = None, consistent_read: bool = False, filter_expression: Any = None,
                      hash_key_conditions: Any = None, range_key_conditions: Any = None, **filter_kwargs: Any) -> Any:
        with lock:
            answer = moto_query_pages.answer(self, hash_key, range_comparison, range_objs, limit,
                                             exclusive_start_key, scan_index_forward, projection_expressions,
                                             index_name, consistent_read, filter_expression, hash_key_conditions,
                                             range_key_conditions, filter_kwargs)
        if answer is not None:
            return answer
        _partition.key = hash_key if index_name is None and self.range_key_attr else None
        try:
            return query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                         scan_index_forward, projection_expressions, index_name, consistent_read,
                         filter_expression, hash_key_conditions, range_key_conditions, **filter_kwargs)
        finally:
            _partition.key = None

    def partition_items(self: Any) -> Any:
        key = getattr(_partition, "key", None)
        if key is None:
            return all_items(self)
        return sorted(self.items.get(key, {}).values(), key=lambda item: (item.hash_key, item.range_key))

    def put(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = put_item(self, *args, **kwargs)
        written(self, item.hash_key, item.range_key)
        return item

    def delete(self: Any, hash_key: Any, range_key: Any) -> Any:
        item = delete_item(self, hash_key, range_key)
        if item is not None:
            written(self, item.hash_key, item.range_key)
        return item

    def update(self: Any, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return update_item(self, table_name, key, *args, **kwargs)
        finally:  # an update changes its item in place, before its own checks may fail
            table = self.tables.get(table_name)
            if table is not None and table_views.get(table):
                try:
                    hash_key, range_key = self.get_keys_value(table, key)
                except Exception:  # a malformed key: nothing was written
                    pass
                else:
                    written(table, hash_key, range_key)

    bounded_query.moto_query, partition_items.moto_all_items = query, all_items  # type: ignore[attr-defined]
    Table.query, Table.all_items = bounded_query, partition_items  # type: ignore[method-assign]
    Table.put_item, Table.delete_item = put, delete  # type: ignore[method-assign]
    models.DynamoDBBackend.update_item = update
    moto_query_json.install()

