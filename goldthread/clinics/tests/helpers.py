"""Clinics in each state on the shared test council, for the tests and the permission matrix."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from goldthread.clinics import plans, services
from goldthread.clinics.models import Clinic, ClinicKind
from goldthread.committees.models import Committee


def managerial(world, *, reference: str = "") -> Clinic:
    """A managerial clinic about ENV1, requested by Alice."""
    clinic = services.request_clinic(
        services.ClinicRequest(
            kind=ClinicKind.MANAGERIAL,
            title="Household waste recycled",
            reason="Below target since June and forecast to miss the year end.",
            indicators=[world.recycling],
        ),
        by=world.alice,
    )
    return _renumber(clinic, reference)


def _renumber(clinic: Clinic, reference: str) -> Clinic:
    # Tests and the matrix name clinics by a fixed reference, whatever else exists.
    if reference:
        clinic.reference = reference
        clinic.save()
    return clinic


def scheduled(world, clinic: Clinic, *, chair=None) -> Clinic:
    when = timezone.make_aware(datetime(2025, 9, 10, 10, 0))
    services.schedule(
        clinic, services.Schedule(when, "Committee room 1", chair or world.charlie), by=world.alice
    )
    return clinic


def held(world, clinic: Clinic, held_on: date = date(2025, 9, 10)) -> Clinic:
    panel = list(clinic.panel.all())
    services.record_minutes(
        clinic,
        services.Minutes(
            held_on=held_on,
            text="Bob presented the recycling figures.\n\nThe panel agreed a recovery plan.",
            attended={member.pk: True for member in panel},
            answers={item.pk: "Not yet." for item in clinic.agenda.all()[:1]},
            decisions=["Agree the recovery plan", "Monthly updates to the panel"],
        ),
        by=world.alice,
    )
    return clinic


def with_action(world, clinic: Clinic) -> Clinic:
    plans.add_action(
        clinic,
        plans.ActionChange(
            description="Relaunch garden waste collections",
            owner=world.bob,
            due_on=clinic.held_on + timedelta(days=60),
            indicators=[world.recycling],
            factors="Garden waste season ended early",
        ),
        by=world.alice,
    )
    return clinic


def planned_challenge(world, *, reference: str = "") -> Clinic:
    clinic = services.request_clinic(
        services.ClinicRequest(
            kind=ClinicKind.PLANNED_CHALLENGE,
            title="Recycling: long-standing concern",
            reason="Red for two quarters with no sign of improvement.",
            indicators=[world.recycling],
            committee=Committee.objects.get(code="osc"),
        ),
        by=world.ed,
    )
    return _renumber(clinic, reference)
