"""A committee member sees the indicators in their committees' scope, and nothing else."""

from goldthread.committees.models import Committee, CommitteeMembership
from goldthread.indicators import access


def _codes(user) -> set[str]:
    return set(access.indicators_for(user).values_list("code", flat=True))


def test_ed_sees_the_indicators_linked_to_a_priority_in_his_committees_scope(world):
    assert _codes(world.ed) == {"ENV1"}


def test_an_indicator_named_in_the_scope_is_visible_to_ed(world):
    world.committee.scope_indicators.add(world.rent)

    assert _codes(world.ed) == {"ENV1", "HSG1"}


def test_ed_sees_each_indicator_once_even_when_two_committees_cover_it(world):
    other = Committee.objects.create(code="cab", name="Cabinet", kind=world.committee.kind)
    other.scope_indicators.add(world.recycling)
    CommitteeMembership.objects.create(committee=other, user=world.ed)

    assert list(access.indicators_for(world.ed).values_list("code", flat=True)) == ["ENV1"]


def test_a_committee_member_with_no_committee_sees_nothing(world):
    CommitteeMembership.objects.filter(user=world.ed).delete()

    assert _codes(world.ed) == set()


def test_leaving_the_committee_takes_away_the_indicator_page(world, login):
    CommitteeMembership.objects.filter(user=world.ed).delete()

    assert login(world.ed).get("/indicators/ENV1/").status_code == 404


def test_the_home_page_names_eds_committee(world, login):
    assert "Overview and Scrutiny" in login(world.ed).get("/").content.decode()
