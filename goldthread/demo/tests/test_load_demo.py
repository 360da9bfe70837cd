from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

import goldthread
from goldthread.accounts.models import Role, User
from goldthread.analysis.periods import parse_period
from goldthread.committees.models import Committee
from goldthread.demo import services
from goldthread.demo.services import DATA_DIR, LoadSummary, load_demo
from goldthread.indicators.models import Indicator, Judgement, TargetVersion, Value
from goldthread.structure.models import Council, Directorate, Priority


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker) -> Iterator[LoadSummary]:
    """Load once for the read-only tests, and roll back when the class is done.

    Loading takes seconds; each test's own transaction nests inside this one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _indicator_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    def test_it_loads_at_least_60_indicators_with_five_years_of_history(self):
        assert Indicator.objects.count() >= 60
        for indicator in Indicator.objects.all():
            periods = indicator.values.values_list("period", flat=True)
            years = {parse_period(key).year for key in periods}
            assert len(years) >= 5, indicator.code

    def test_it_loads_monthly_and_quarterly_indicators_with_their_values(self):
        for frequency in ("monthly", "quarterly"):
            chosen = Indicator.objects.filter(frequency=frequency)
            assert chosen.exists()
            assert Value.objects.filter(indicator__in=chosen).count() >= 12 * chosen.count()

    def test_every_value_is_published_with_its_period_start(self):
        value = Value.objects.get(indicator__code="SW08", period="2021-04")
        assert str(value.period_start) == "2021-04-01"
        assert not Value.objects.exclude(state="published").exists()

    def test_every_role_has_a_person(self):
        roles = set(User.objects.values_list("role", flat=True))
        assert roles == {role.value for role in Role}

    def test_only_the_administrator_is_a_superuser_and_officers_are_staff(self):
        assert list(User.objects.filter(is_superuser=True).values_list("role", flat=True)) == [
            Role.SYSTEM_ADMINISTRATOR
        ]
        staff = set(User.objects.filter(is_staff=True).values_list("role", flat=True))
        assert staff == {Role.SYSTEM_ADMINISTRATOR, Role.PERFORMANCE_OFFICER}

    def test_directors_and_lead_members_are_linked(self):
        assert not Directorate.objects.filter(director__isnull=True).exists()
        priority = Priority.objects.get(code="P1.1")
        assert priority.lead_member.username == "cabinet2"

    def test_every_judgement_is_published(self):
        assert Judgement.objects.count() == Value.objects.count()
        assert not Judgement.objects.filter(is_published=False).exists()
        reasons = set(Judgement.objects.values_list("publish_reason", flat=True))
        assert reasons == {services.PUBLISH_REASON}

    def test_some_judgements_have_a_rag_status_against_a_target(self):
        rags = set(Judgement.objects.values_list("rag", flat=True))
        assert {"red", "amber", "green", "context"} <= rags

    def test_targets_are_illustrative_with_a_basis(self):
        assert TargetVersion.objects.exists()
        for target in TargetVersion.objects.all():
            assert target.is_illustrative and target.version == 1
            assert target.basis.startswith("Illustrative target")
            assert target.reason == services.TARGET_REASON

    def test_band_targets_carry_the_band_from_the_indicator(self):
        target = TargetVersion.objects.filter(indicator__code="CORP03c").first()
        assert (target.band_lower, target.band_upper) == (-3.0, 3.0)
        assert not TargetVersion.objects.exclude(indicator__polarity="band").filter(
            band_lower__isnull=False
        )

    def test_monthly_counts_summed_over_the_year_aggregate_by_sum(self):
        summed = set(Indicator.objects.filter(aggregation="sum").values_list("code", flat=True))
        assert summed == {"ECON05", "SW08"}
        annual_positions = Indicator.objects.filter(frequency="annual", accumulation="snapshot")
        assert set(annual_positions.values_list("aggregation", flat=True)) == {"last"}

    def test_committee_scopes_cover_each_indicators_committees(self):
        for row in _indicator_rows():
            indicator = Indicator.objects.get(code=row["code"])
            seen = set(
                Committee.objects.filter(scope_indicators=indicator).values_list("code", flat=True)
            ) | set(
                Committee.objects.filter(
                    scope_priorities__in=indicator.priorities.all()
                ).values_list("code", flat=True)
            )
            assert seen == set(row["committee_codes"].split(";")), row["code"]

    def test_loaded_rows_have_history(self):
        assert Value.history.count() == Value.objects.count()
        assert User.history.count() == User.objects.count()


@pytest.mark.django_db
def test_running_twice_raises_a_command_error():
    call_command("load-demo", stdout=StringIO())
    with pytest.raises(CommandError, match="The demo council is already loaded"):
        call_command("load-demo", stdout=StringIO())
    assert Council.objects.count() == 1


@pytest.mark.django_db
def test_if_empty_is_silent_the_second_time():
    Council.objects.create(name="Already here", ons_code="S12000030")
    out = StringIO()
    call_command("load-demo", "--if-empty", stdout=out)
    assert out.getvalue() == ""
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_it_prints_the_counts_and_the_logins_with_the_chosen_password():
    out = StringIO()
    call_command("load-demo", "--password", "another-secret-9", stdout=out)
    printed = out.getvalue()
    assert "indicators" in printed and "published judgements" in printed
    assert "another-secret-9" in printed
    assert "admin" in printed and "System administrator" in printed
    assert User.objects.get(username="officer").check_password("another-secret-9")


@pytest.mark.django_db
def test_a_failure_halfway_leaves_nothing_written(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "load_values", broken)
    with pytest.raises(RuntimeError):
        call_command("load-demo", stdout=StringIO())
    assert Council.objects.count() == 0
    assert not User.objects.exists() and not Indicator.objects.exists()


def test_it_reads_only_its_own_data_folder():
    # The demo must not depend on the shared data folder outside the repository.
    assert DATA_DIR.is_relative_to(Path(goldthread.__file__).resolve().parent)
    assert (DATA_DIR / "council.json").exists()
