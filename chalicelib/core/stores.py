"""The stores the services use in a running API: DynamoDB tables named by the settings.

Services take a store argument; tests pass in-memory fakes, the API gets these.
"""

from __future__ import annotations

from chalicelib.core.config import settings
from chalicelib.core.dynamo import Table
from chalicelib.core.policy_store import DynamoPolicyStore
from chalicelib.core.tenant_store import DynamoTenantStore


def main_table() -> Table:
    return Table(settings().main_table)


def tenants() -> DynamoTenantStore:
    return DynamoTenantStore(main_table())


def policies() -> DynamoPolicyStore:
    return DynamoPolicyStore(main_table())
