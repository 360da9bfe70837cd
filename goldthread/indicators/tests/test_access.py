"""The access rules, table-tested: who sees which indicators and which figures."""

import pytest
from django.contrib.auth.models import AnonymousUser

from goldthread.indicators import access

# fmt: off
# persona:              indicators visible                      sees drafts on ENV1  on HSG1
TABLE = {
    "public":             ({"ENV1", "CMP1", "HSG1", "CTX1"},         False,       False),
    "performance_officer": ({"ENV1", "CMP1", "HSG1", "CTX1", "INT1"}, True,        True),
    "data_owner":         ({"ENV1", "CMP1", "HSG1", "CTX1", "INT1"}, True,        False),
    "director":           ({"ENV1", "CMP1", "HSG1", "CTX1", "INT1"}, True,        False),
    "cabinet_member":     ({"ENV1", "CMP1", "HSG1", "CTX1"},         False,       False),
    "committee_member":   ({"ENV1"},                                False,       False),
    "system_administrator": ({"ENV1", "CMP1", "HSG1", "CTX1", "INT1"}, True,      True),
}
# fmt: on


@pytest.mark.parametrize(("persona", "row"), TABLE.items())
def test_each_persona_sees_the_indicators_and_drafts_the_table_says(world, persona, row):
    user = world.personas()[persona] or AnonymousUser()
    visible, drafts_env1, drafts_hsg1 = row

    assert set(access.indicators_for(user).values_list("code", flat=True)) == visible
    assert access.sees_unapproved(user, world.recycling) is drafts_env1
    assert access.sees_unapproved(user, world.rent) is drafts_hsg1


@pytest.mark.parametrize(
    ("persona", "states"),
    [
        ("public", ("published",)),
        ("cabinet_member", ("approved", "published")),
        ("committee_member", ("approved", "published")),
    ],
)
def test_members_and_the_public_see_only_approved_states(world, persona, states):
    user = world.personas()[persona] or AnonymousUser()

    assert set(access.visible_value_states(user, world.recycling)) == set(states)


def test_only_the_performance_officer_sets_targets_and_republishes(world):
    for persona, user in world.personas().items():
        if user is None:
            continue
        expected = persona == "performance_officer"
        assert access.can_set_targets(user) is expected
        assert access.can_republish(user) is expected


def test_bob_enters_values_only_for_his_own_indicators(world):
    assert access.can_enter_values(world.bob, world.recycling)
    assert not access.can_enter_values(world.bob, world.rent)
    assert access.can_enter_values(world.alice, world.rent)
    assert not access.can_enter_values(world.dana, world.recycling)


def test_the_rules_permissions_agree_with_access(world):
    assert world.alice.has_perm("indicators.set_targets", world.recycling)
    assert not world.bob.has_perm("indicators.set_targets", world.recycling)
    assert world.bob.has_perm("indicators.enter_values", world.recycling)
    assert not world.bob.has_perm("indicators.enter_values", world.rent)
    assert not world.ed.has_perm("indicators.view_indicator", world.complaints)
    assert world.ed.has_perm("indicators.view_indicator", world.recycling)
