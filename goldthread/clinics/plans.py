"""A clinic's action plan and the progress updates on it, due until the panel is satisfied.

Seed 004 §6.6: "The manager will be required to provide update reports on a monthly basis to
inform the panel of progress being made with the actions forming the recovery plan. This
should continue until the panel are satisfied".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from goldthread.accounts.models import User
from goldthread.audit.services import record
from goldthread.clinics import criteria
from goldthread.clinics.models import (
    Action,
    ActionProgress,
    ActionStatus,
    Clinic,
    ClinicState,
    ProgressUpdate,
)
from goldthread.clinics.services import ClinicError, lock
from goldthread.indicators.models import Indicator

# The action plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionChange:
    description: str
    owner: User
    due_on: date
    indicators: Sequence[Indicator]
    factors: str = ""
    status: str = ActionStatus.NOT_STARTED


def _check_action(clinic: Clinic, change: ActionChange) -> None:
    if clinic.state not in (ClinicState.SCHEDULED, ClinicState.HELD):
        raise ClinicError("The action plan is agreed once the clinic is scheduled, until it closes")
    if not change.description.strip():
        raise ClinicError("Enter what the action is", "description")
    if not change.owner.is_officer:
        raise ClinicError("The owner must be an officer", "owner")
    in_scope = set(clinic.indicators.values_list("pk", flat=True))
    if any(indicator.pk not in in_scope for indicator in change.indicators):
        raise ClinicError("Choose indicators this clinic is about", "indicators")
    if change.status not in ActionStatus.values:
        raise ClinicError("Choose the action's status", "status")


@transaction.atomic
def add_action(clinic: Clinic, change: ActionChange, *, by: User) -> Action:
    _check_action(clinic, change)
    lock(clinic)
    if clinic.held_on is None and change.due_on < timezone.localdate():
        raise ClinicError("The due date must be today or in the future", "due_on")
    action = Action.objects.create(
        clinic=clinic,
        number=clinic.actions.count() + 1,
        description=change.description.strip(),
        owner=change.owner,
        due_on=change.due_on,
        factors=change.factors.strip(),
        status=change.status,
    )
    action.indicators.set(change.indicators)
    record(by, "clinic_action_added", clinic, f"Action {action.number} added: {action.description}")
    return action


@transaction.atomic
def change_action(action: Action, change: ActionChange, *, by: User, reason: str) -> None:
    _check_action(action.clinic, change)
    if change.status == ActionStatus.DROPPED and not reason.strip():
        raise ClinicError("Enter why the panel dropped this action", "reason")
    action.description, action.owner = change.description.strip(), change.owner
    action.due_on, action.factors, action.status = (
        change.due_on,
        change.factors.strip(),
        change.status,
    )
    action._change_reason = reason.strip() or "Action changed"
    action.save()
    action.indicators.set(change.indicators)
    record(
        by, "clinic_action_changed", action.clinic, f"Action {action.number} changed", reason=reason
    )


# Progress updates --------------------------------------------------------------------------


def update_interval(clinic: Clinic) -> int:
    frequencies = list(clinic.indicators.values_list("frequency", flat=True))
    return criteria.update_interval(clinic.update_frequency, frequencies)


def updates_due(clinic: Clinic, today: date) -> list[date]:
    """Due dates up to today that have no update yet, oldest first."""
    if clinic.state != ClinicState.HELD or clinic.held_on is None:
        return []
    due = criteria.update_due_dates(clinic.held_on, update_interval(clinic), today)
    written = set(clinic.updates.values_list("due_on", flat=True))
    return [d for d in due if d not in written]


def next_update_due(clinic: Clinic, today: date) -> date | None:
    """The update owed next: the oldest one missed, or the next date to come."""
    if clinic.state != ClinicState.HELD or clinic.held_on is None:
        return None
    missed = updates_due(clinic, today)
    if missed:
        return missed[0]
    return criteria.next_due_date(clinic.held_on, update_interval(clinic), today)


@dataclass(frozen=True)
class ActionLine:
    action: Action
    status: str
    note: str


@transaction.atomic
def write_update(
    clinic: Clinic, *, by: User, due_on: date, summary: str, lines: Sequence[ActionLine]
) -> ProgressUpdate:
    """A progress report on the action plan; each action takes the status it reports."""
    if clinic.state != ClinicState.HELD:
        raise ClinicError("Progress updates are written after the clinic, until it closes")
    if not summary.strip():
        raise ClinicError("Enter a summary of progress since the last update", "summary")
    if clinic.updates.filter(due_on=due_on).exists():
        raise ClinicError("The update due on that date has already been written", "due_on")
    update = ProgressUpdate.objects.create(
        clinic=clinic, due_on=due_on, summary=summary.strip(), written_by=by
    )
    for line in lines:
        if line.status not in ActionStatus.values or line.status == ActionStatus.DROPPED:
            raise ClinicError(f"Choose a status for action {line.action.number}", "status")
        ActionProgress.objects.create(
            update=update, action=line.action, status=line.status, note=line.note.strip()
        )
        line.action.status, line.action.latest_note = line.status, line.note.strip()
        line.action._change_reason = f"Progress update due {due_on:%-d %B %Y}"
        line.action.save()
    record(by, "clinic_update_written", clinic, f"Progress update for {due_on:%-d %B %Y} written")
    return update
