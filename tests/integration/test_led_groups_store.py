"""The led-groups index (GR2017-8) held to one contract on DynamoDB (moto) and the in-memory fake: the groups a
subject founded or manages are listed in pages, and a demotion or a departure takes the group off the list."""

from __future__ import annotations

import pytest

from chalicelib.core.errors import InvalidRequest
from chalicelib.groups import store as groups_store
from chalicelib.groups.memory_store import MemoryGroupsStore
from tests.integration.test_capability_stores import CHANGE, T, a_group, either, member


@pytest.fixture(params=["dynamodb", "memory"])
def groups(request):
    return either(request, MemoryGroupsStore, groups_store.store)


def led(groups, subject: str, limit: int = 2) -> list[str]:
    found, cursor = groups.led_page(T, subject, limit, None)
    while cursor:
        more, cursor = groups.led_page(T, subject, limit, cursor)
        found += more
    return [item["GSI1SK"] for item in found]


def test_founded_and_managed_groups_are_listed_in_pages_and_leave_with_the_role(groups):
    # GIVEN sub_f founded three groups, and sub_1 joined two of them and was made manager of both
    for n in (1, 2, 3):
        groups.commit(T, groups.founding_ops(T, *a_group(n), 5, 5), CHANGE)
    for group_id in ("grp_1", "grp_2"):
        groups.commit(T, groups.join_ops(T, group_id, member("sub_1"), 9, 9), CHANGE)
        groups.commit(T, groups.role_ops(T, group_id, "sub_1", "MEMBER", "MANAGER", 5), CHANGE)
    groups.commit(T, groups.join_ops(T, "grp_3", member("sub_1"), 9, 9), CHANGE)
    # THEN the founder leads three, the manager two (not the group it only joined)
    assert (led(groups, "sub_f"), led(groups, "sub_1")) == (["grp_1", "grp_2", "grp_3"], ["grp_1", "grp_2"])
    # WHEN the manager is made a member in one and leaves the other THEN it leads none; another tenant sees none
    groups.commit(T, groups.role_ops(T, "grp_1", "sub_1", "MANAGER", "MEMBER", 5), CHANGE)
    groups.commit(T, groups.leave_ops(T, "grp_2", "sub_1", "MANAGER"), CHANGE)
    assert led(groups, "sub_1") == []
    assert groups.led_page("globex", "sub_f", 10, None) == ([], None)


def test_a_cursor_of_another_subjects_list_is_refused(groups):
    # GIVEN a page cursor of sub_f's list
    for n in (1, 2):
        groups.commit(T, groups.founding_ops(T, *a_group(n), 5, 5), CHANGE)
    _, cursor = groups.led_page(T, "sub_f", 1, None)
    # WHEN it is replayed on another subject's list THEN it is a 400, not that subject's page
    with pytest.raises(InvalidRequest):
        groups.led_page(T, "sub_x", 1, cursor)
