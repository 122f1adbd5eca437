"""The stack's moto server answers a query from a per-partition view of the table and of each index, kept in
step with every write (infra/moto_queries.py): the same answers as moto's own query, page by page, at a
cost bounded by the page, not by the table."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from infra import moto_query_views, moto_transactions

REGION = "eu-west-3"
GSI = {"GSI1": ("G1PK", "G1SK", "S", {"ProjectionType": "ALL"}),
       "GSI2": ("G2PK", None, None, {"ProjectionType": "KEYS_ONLY"}),
       "GSI3": ("G3PK", "G3SK", "N", {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]})}


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    import boto3
    from moto import mock_aws

    moto_transactions.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        definitions = [{"AttributeName": "PK", "AttributeType": "S"}, {"AttributeName": "SK", "AttributeType": "S"},
                       {"AttributeName": "G1PK", "AttributeType": "S"}, {"AttributeName": "G1SK", "AttributeType": "S"},
                       {"AttributeName": "G2PK", "AttributeType": "S"}, {"AttributeName": "G3PK", "AttributeType": "S"},
                       {"AttributeName": "G3SK", "AttributeType": "N"}]
        indexes = [{"IndexName": name, "Projection": projection,
                    "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"}]
                    + ([{"AttributeName": sk, "KeyType": "RANGE"}] if sk else [])}
                   for name, (pk, sk, _, projection) in GSI.items()]
        client.create_table(TableName="q", BillingMode="PAY_PER_REQUEST", AttributeDefinitions=definitions,
                            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                                       {"AttributeName": "SK", "KeyType": "RANGE"}],
                            GlobalSecondaryIndexes=indexes)
        yield client
        client.delete_table(TableName="q")  # the suite's own moto may be running in this process


def moto_answer(client: Any, params: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The same request answered by moto's own query (its whole-table read and sort)."""
    from moto.dynamodb.models.table import Table

    with monkeypatch.context() as patch:
        patch.setattr(Table, "query", getattr(Table.query, "moto_query"))  # noqa: B009 (set by install())
        patch.setattr(Table, "all_items", getattr(Table.all_items, "moto_all_items"))  # noqa: B009
        return client.query(**params)


def answer(page: dict[str, Any]) -> dict[str, Any]:
    return {k: page.get(k) for k in ("Items", "Count", "ScannedCount", "LastEvaluatedKey")}


def random_item(rng: random.Random) -> dict[str, Any]:
    item = {"PK": {"S": f"p{rng.randrange(4)}"}, "SK": {"S": f"s{rng.randrange(40):02d}"},
            "a": {"S": rng.choice("xyz")}, "b": {"N": str(rng.randrange(5))}}
    if rng.random() < 0.8:  # the indexes are sparse: an item lacking an index key is not in it
        item["G1PK"] = {"S": f"g{rng.randrange(3)}"}
        if rng.random() < 0.9:
            prefix = rng.choice(["2025-01", "2025-02", "2026-01", "a#1", "a#2", "b"])
            item["G1SK"] = {"S": f"{prefix}#{rng.randrange(9)}"}
    if rng.random() < 0.5:
        item["G2PK"] = {"S": f"h{rng.randrange(2)}"}
    if rng.random() < 0.6:
        item["G3PK"] = {"S": "n"}
        item["G3SK"] = {"N": str(rng.choice([-3, 0, 1, 1.5, 2, 10, 100]))}
    if rng.random() < 0.1:
        item["big"] = {"S": "x" * rng.randrange(1_000, 300_000)}  # pages also end at moto's 1 MB
    return item


def write(client: Any, rng: random.Random) -> None:
    roll = rng.random()
    key = {"PK": {"S": f"p{rng.randrange(4)}"}, "SK": {"S": f"s{rng.randrange(40):02d}"}}
    if roll < 0.35:
        client.put_item(TableName="q", Item=random_item(rng))
    elif roll < 0.55:  # an update in place moves the item within an index, out of it, or into it
        expression = rng.choice(["SET G1PK = :g, G1SK = :s", "REMOVE G1SK", "SET G3PK = :n, G3SK = :k",
                                 "REMOVE G2PK", "SET a = :a"])
        values = {":g": {"S": f"g{rng.randrange(3)}"}, ":s": {"S": f"a#{rng.randrange(9)}"}, ":n": {"S": "n"},
                  ":k": {"N": str(rng.randrange(-2, 12))}, ":a": {"S": "w"}}
        client.update_item(TableName="q", Key=key, UpdateExpression=expression,
                           **({"ExpressionAttributeValues": {k: v for k, v in values.items() if k in expression}}
                              if ":" in expression else {}))
    elif roll < 0.7:
        client.delete_item(TableName="q", Key=key)
    elif roll < 0.85:
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for _ in range(rng.randrange(1, 10)):
            item = random_item(rng)
            seen[(item["PK"]["S"], item["SK"]["S"])] = {"PutRequest": {"Item": item}} if rng.random() < 0.8 else {
                "DeleteRequest": {"Key": {"PK": item["PK"], "SK": item["SK"]}}}
        client.batch_write_item(RequestItems={"q": list(seen.values())})
    else:  # a transaction, cancelled one time in three: its writes are undone
        names: dict[tuple[str, str], dict[str, Any]] = {}
        for _ in range(rng.randrange(1, 5)):
            item = random_item(rng)
            names[(item["PK"]["S"], item["SK"]["S"])] = {"Put": {"TableName": "q", "Item": item}}
        ops = list(names.values())
        if rng.random() < 0.33:
            ops[-1]["Put"]["ConditionExpression"] = "attribute_exists(nothing)"
        try:
            client.transact_write_items(TransactItems=ops)
        except client.exceptions.TransactionCanceledException:
            pass


def random_query(rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    index = rng.choice([None, "GSI1", "GSI1", "GSI2", "GSI3"])
    pk: str
    sk: str | None
    kind: str | None
    if index is None:
        pk, sk, kind, values[":h"] = "PK", "SK", "S", {"S": f"p{rng.randrange(4)}"}
    else:
        pk, sk, kind, _ = GSI[index]
        values[":h"] = {"S": {"GSI1": f"g{rng.randrange(3)}", "GSI2": f"h{rng.randrange(2)}", "GSI3": "n"}[index]}
    condition = f"{pk} = :h"
    if sk and rng.random() < 0.7:
        def value() -> dict[str, str]:
            if kind == "N":
                return {"N": str(rng.choice([-5, 0, 1, 1.5, 2, 3, 50, 200]))}
            return {"S": rng.choice(["s05", "s20", "s3", "2025", "2025-02#4", "a#", "a#2", "b", "c", "2026-01#0"])}
        operator = rng.choice(["=", "<", "<=", ">", ">=", "between", "begins_with"] if kind == "S" else
                              ["=", "<", "<=", ">", ">=", "between"])
        values[":r"] = value()
        if operator == "between":
            values[":r2"] = value()
            low, high = sorted([values[":r"], values[":r2"]], key=lambda v: float(v["N"]) if "N" in v else v["S"])
            values[":r"], values[":r2"] = low, high
            condition += f" AND {sk} BETWEEN :r AND :r2"
        elif operator == "begins_with":
            condition += f" AND begins_with({sk}, :r)"
        else:
            condition += f" AND {sk} {operator} :r"
    params: dict[str, Any] = {"TableName": "q", "KeyConditionExpression": condition,
                              "ScanIndexForward": rng.random() < 0.5}
    if index:
        params["IndexName"] = index
    if rng.random() < 0.8:
        params["Limit"] = rng.randrange(1, 8)
    if rng.random() < 0.3:
        params["FilterExpression"] = "a = :a"
        values[":a"] = {"S": "x"}
    if rng.random() < 0.2 and index != "GSI2":
        params["ProjectionExpression"] = "PK, SK, a"
    params["ExpressionAttributeValues"] = values
    return params


@pytest.mark.parametrize("seed", range(6))
def test_every_page_of_every_query_is_moto_s_own_answer_through_random_writes(dynamodb, monkeypatch, seed):
    # GIVEN the stack's moto server and a table with a sparse ALL index, a KEYS_ONLY index without a sort key
    # and an INCLUDE index on a number, written at random: puts, updates in place, deletes, batches, transactions
    rng = random.Random(seed)
    for _ in range(120):
        write(dynamodb, rng)
    for _ in range(40):
        for _ in range(rng.randrange(0, 6)):
            write(dynamodb, rng)
        # WHEN a random query (range condition, limit, direction, filter, projection) is read page by page
        params, pages = random_query(rng), 0
        while True:
            ours, theirs = dynamodb.query(**params), moto_answer(dynamodb, params, monkeypatch)
            # THEN each page is moto's: items and their order, counts, the key the next page starts after
            assert answer(ours) == answer(theirs), params
            pages += 1
            if "LastEvaluatedKey" not in ours:
                break
            params = {**params, "ExclusiveStartKey": ours["LastEvaluatedKey"]}
        assert pages < 100


def test_a_page_reads_the_items_it_answers_not_the_table(dynamodb, monkeypatch):
    # GIVEN the stack's moto server, 3,000 items in 30 index partitions, and moto's whole-table read counted
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    for start in range(0, 3_000, 25):
        dynamodb.batch_write_item(RequestItems={"q": [{"PutRequest": {"Item": {
            "PK": {"S": f"p{i % 50}"}, "SK": {"S": f"s{i:05d}"}, "G1PK": {"S": f"g{i % 30}"},
            "G1SK": {"S": f"2025-{i:05d}"}}}} for i in range(start, start + 25)]})
    whole_reads: list[str] = []

    def counted(name: str) -> Any:
        whole = getattr(Table, name)
        def read(self: Any, *args: Any) -> Any:
            whole_reads.append(name)
            return whole(self, *args)

        return read

    for name in ("all_items", "has_idx_items", "sorted_items"):
        monkeypatch.setattr(Table, name, counted(name))
    dynamodb.query(TableName="q", IndexName="GSI1", KeyConditionExpression="G1PK = :g", Limit=1,
                   ExpressionAttributeValues={":g": {"S": "g7"}})  # the index's view is made once
    table = models.dynamodb_backends["123456789012"][REGION].tables["q"]
    view = moto_query_views.table_views[table]["GSI1"]
    # WHEN one partition (100 items) is read in pages of 10 after a range condition, with writes between pages
    touched, start, read = [], None, []
    while True:
        before = view.touched
        page = dynamodb.query(TableName="q", IndexName="GSI1", KeyConditionExpression="G1PK = :g AND G1SK > :s",
                              Limit=10, ExpressionAttributeValues={":g": {"S": "g7"}, ":s": {"S": "2025-01000"}},
                              **({"ExclusiveStartKey": start} if start else {}))
        touched.append(view.touched - before)
        read += [i["SK"]["S"] for i in page["Items"]]
        dynamodb.put_item(TableName="q", Item={"PK": {"S": "other"}, "SK": {"S": f"w{len(touched)}"},
                                               "G1PK": {"S": "g8"}, "G1SK": {"S": "2025"}})
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    # THEN it answers that partition's items after the condition, each page reading its own 10 items and a
    # bisection of the partition, never the table
    assert read == [f"s{i:05d}" for i in range(1_000, 3_000) if i % 30 == 7 and f"2025-{i:05d}" > "2025-01000"]
    assert max(touched) <= 10 + 1 + 8 and whole_reads == []


def test_a_table_emptied_in_place_is_answered_from_what_it_holds_now(dynamodb):
    # GIVEN the stack's moto server, an index already read once (its view made), and the table then emptied in
    # place, as a test backend resets it between tests, and one item written again
    from moto.dynamodb import models

    for n in range(5):
        dynamodb.put_item(TableName="q", Item={"PK": {"S": "p"}, "SK": {"S": f"s{n}"}, "G1PK": {"S": "g"},
                                               "G1SK": {"S": f"k{n}"}})
    query = {"TableName": "q", "IndexName": "GSI1", "KeyConditionExpression": "G1PK = :g",
             "ExpressionAttributeValues": {":g": {"S": "g"}}}
    assert dynamodb.query(**query)["Count"] == 5
    models.dynamodb_backends["123456789012"][REGION].tables["q"].items.clear()
    dynamodb.put_item(TableName="q", Item={"PK": {"S": "p"}, "SK": {"S": "s9"}, "G1PK": {"S": "g"},
                                           "G1SK": {"S": "k9"}})
    # WHEN the index is read again, THEN it answers the one item the table holds, not the view's old ones
    assert [i["SK"]["S"] for i in dynamodb.query(**query)["Items"]] == ["s9"]
    assert [i["SK"]["S"] for i in dynamodb.query(**query, Limit=1)["Items"]] == ["s9"]


def random_value(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    kind = rng.choice(["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"] + (["L", "M"] if depth < 2 else []))
    if kind == "S":
        return {"S": rng.choice(["", "x", "名字", 'a"b\n', "\u0000\ud7ff", "e" * rng.randrange(50)])}
    if kind == "N":
        return {"N": rng.choice(["0", "-1", "1.50", "1e10", "123456789012345678901234567890"])}
    if kind == "B":
        return {"B": bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20)))}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "SS":
        return {"SS": list({f"s{rng.randrange(9)}" for _ in range(rng.randrange(1, 4))})}
    if kind == "NS":
        return {"NS": list({str(rng.randrange(99)) for _ in range(rng.randrange(1, 4))})}
    if kind == "BS":
        return {"BS": list({bytes([rng.randrange(256), n]) for n in range(rng.randrange(1, 4))})}
    if kind == "L":
        return {"L": [random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]}
    return {"M": {f"k{n}": random_value(rng, depth + 1) for n in range(rng.randrange(0, 4))}}


def test_a_query_s_answer_is_written_as_moto_writes_it_whatever_its_attributes(dynamodb, monkeypatch):
    # GIVEN the stack's moto server and items of every attribute type, nested, and every raw answer kept
    from moto.core.serialize import BaseJSONSerializer
    from moto.dynamodb.responses import DynamoHandler

    rng = random.Random(7)
    for n in range(60):
        dynamodb.put_item(TableName="q", Item={"PK": {"S": "p"}, "SK": {"S": f"s{n:02d}"}, "G1PK": {"S": "g"},
                                               "G1SK": {"S": f"k{n % 7}"},
                                               **{f"a{i}": random_value(rng) for i in range(rng.randrange(0, 6))}})
    bodies: list[Any] = []
    maps_walked: list[int] = []
    walk = BaseJSONSerializer._serialize_type_map

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        maps_walked.append(1)
        return walk(self, *args, **kwargs)

    dynamodb.meta.events.register("before-parse.dynamodb.Query",
                                  lambda response_dict, **_: bodies.append(json.loads(response_dict["body"])))
    for params in ({}, {"IndexName": "GSI1"}, {"Limit": 7, "ReturnConsumedCapacity": "TOTAL"},
                   {"Select": "COUNT"}, {"ProjectionExpression": "SK, a1, a2"}):
        query = {"TableName": "q", "KeyConditionExpression": "PK = :p" if "IndexName" not in params else "G1PK = :p",
                 "ExpressionAttributeValues": {":p": {"S": "p" if "IndexName" not in params else "g"}}, **params}
        # WHEN the same query is answered, and answered by moto's own handler and serializer
        with monkeypatch.context() as patch:
            patch.setattr(BaseJSONSerializer, "_serialize_type_map", counted)
            ours = dynamodb.query(**query)
        with monkeypatch.context() as patch:
            patch.setattr(DynamoHandler, "query", getattr(DynamoHandler.query, "moto_query_handler"))  # noqa: B009
            theirs = dynamodb.query(**query)
        # THEN both answers are the same JSON, and the same once parsed
        assert bodies[-2] == bodies[-1], params
        ours.pop("ResponseMetadata"), theirs.pop("ResponseMetadata")
        assert ours == theirs
        # AND moto's serializer walked none of the items' attribute maps (a 1 MB page took it seconds)
        assert not maps_walked or "LastEvaluatedKey" in ours or "ConsumedCapacity" in ours, params
        maps_walked.clear()
