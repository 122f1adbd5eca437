"""The `make run` stack's moto server (infra/moto_transactions.py): a transaction costs what it names, never
the table, and a cancelled one still changes nothing. `make fuzz` found the cost: late in a run, a bulk
lexicon import of 1,000 entries (11 transactions) outlasted the client's read timeout and answered 503."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from infra import moto_transactions

REGION = "eu-west-3"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3
    from moto import mock_aws
    from moto.dynamodb import models

    # moto's own transaction and copy module come back after the test, whatever install() replaced
    monkeypatch.setattr(models.DynamoDBBackend, "transact_write_items", models.DynamoDBBackend.transact_write_items)
    monkeypatch.setattr(models, "copy", models.copy)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                                       {"AttributeName": "SK", "KeyType": "RANGE"}],
                            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                                  {"AttributeName": "SK", "AttributeType": "S"}])
        yield client
        client.delete_table(TableName="t")  # the suite's own moto may be running in this process: leave it as found


def item(pk: str, sk: str, **values: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}, **{name: {"S": value} for name, value in values.items()}}


def stored(client: Any, pk: str, sk: str) -> dict[str, Any] | None:
    return client.get_item(TableName="t", Key=item(pk, sk)).get("Item")


def test_a_transaction_copies_no_table_however_full(dynamodb, monkeypatch):
    # GIVEN the stack's moto server, a table holding 300 items, and every deep copy of a table counted
    from moto.dynamodb.models.table import Table

    moto_transactions.install()
    for start in range(0, 300, 25):
        dynamodb.batch_write_item(RequestItems={"t": [{"PutRequest": {"Item": item(f"p{i % 7}", f"s{i}", a="x")}}
                                                      for i in range(start, start + 25)]})
    tables_copied, deepcopy = [], copy.deepcopy
    monkeypatch.setattr(copy, "deepcopy", lambda value, memo=None: (
        tables_copied.append(value) if isinstance(value, Table) else None) or deepcopy(value, memo))
    # WHEN a transaction of 100 items is written (a bulk lexicon chunk with its version and audit chain)
    dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": item("q", f"k{j}")}}
                                                 for j in range(100)])
    # THEN it is written without copying the table (moto alone copies it once per item: 100 times)
    assert tables_copied == []
    assert stored(dynamodb, "q", "k99") is not None


def test_a_cancelled_transaction_changes_nothing_it_named(dynamodb):
    # GIVEN the stack's moto server and two stored items
    moto_transactions.install()
    dynamodb.put_item(TableName="t", Item=item("r", "1", v="before"))
    dynamodb.put_item(TableName="t", Item=item("r", "2", v="kept"))
    # WHEN a transaction updates one, deletes the other, adds a third, and then fails a condition
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(TransactItems=[
            {"Update": {"TableName": "t", "Key": item("r", "1"), "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"S": "after"}}}},
            {"Delete": {"TableName": "t", "Key": item("r", "2")}},
            {"Put": {"TableName": "t", "Item": item("r", "3")}},
            {"Put": {"TableName": "t", "Item": item("r", "4"), "ConditionExpression": "attribute_exists(PK)"}},
        ])
    # THEN every item is as it was: all or nothing, as in DynamoDB
    assert stored(dynamodb, "r", "1") == item("r", "1", v="before")
    assert stored(dynamodb, "r", "2") == item("r", "2", v="kept")
    assert stored(dynamodb, "r", "3") is None and stored(dynamodb, "r", "4") is None


def test_the_local_stack_installs_it_before_its_moto_server_starts():
    # GIVEN the local stack's backend start, WHEN its source is read, THEN the backup is installed before the server
    import inspect

    from infra import local

    source = inspect.getsource(local.start_backend)
    assert 0 <= source.index("moto_transactions.install()") < source.index("ThreadedMotoServer(")


def test_a_query_reads_its_partition_only_and_answers_as_moto_does(dynamodb, monkeypatch):
    # GIVEN the stack's moto server and a table of 7 partitions, with every item moto sorts counted
    from moto.dynamodb.models.table import Table

    moto_transactions.install()
    for start in range(0, 350, 25):
        dynamodb.batch_write_item(RequestItems={"t": [{"PutRequest": {"Item": item(f"p{i % 7}", f"s{i:03d}", a="x")}}
                                                      for i in range(start, start + 25)]})
    sorted_items = []
    original = Table.all_items
    monkeypatch.setattr(Table, "all_items", lambda self: sorted_items.extend(found := original(self)) or found)
    # WHEN one partition is read in pages of 20, backwards, from a range condition
    pages, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        answer = dynamodb.query(TableName="t", KeyConditionExpression="PK = :pk AND SK > :sk", Limit=20,
                                ScanIndexForward=False, ExpressionAttributeValues={":pk": {"S": "p3"},
                                                                                   ":sk": {"S": "s100"}}, **extra)
        pages.append([i["SK"]["S"] for i in answer["Items"]])
        start = answer.get("LastEvaluatedKey")
        if not start:
            break
    # THEN it answers exactly that partition's items in order, from its partition's view: moto's sort of the
    # whole table is never made (tests/unit/test_moto_queries.py compares every page with moto's own)
    expected = sorted((f"s{i:03d}" for i in range(350) if i % 7 == 3 and f"s{i:03d}" > "s100"), reverse=True)
    assert [sk for page in pages for sk in page] == expected and len(pages) == 2
    assert sorted_items == []
