"""Who needs reminding about intervention work today: clinic progress updates and actions,
improvement plan progress entries and scrutiny's six-month reviews (issue 5).

The clinics and improvement apps decide what is owed (``clinics.plans.updates_due`` and
``next_update_due``, ``improvement.services.progress_due``, a recommendation's stored
``review_due``); this module only asks them, picks the people to tell, and groups what it
finds per person and kind so each person gets one email listing everything.

- **Clinic update due**: from a week before the date until the date; **overdue** from the day
  after, once for each missed date, until an update is written or the clinic closes.
- **Clinic action overdue**: once per action and due date, to its owner, while the clinic is
  held and the action neither delivered nor dropped.
- **Plan progress due** once a period has ended with no entry; **overdue** once the reporting
  calendar's due date for that period's figure has passed, while the plan is live.
- **Scrutiny review due** from the review date until a review is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from goldthread.accounts.models import Role, User
from goldthread.analysis.calendar import window_for
from goldthread.analysis.periods import Period
from goldthread.clinics.models import FINISHED_ACTIONS, Action, Clinic, ClinicState
from goldthread.clinics.plans import next_update_due, updates_due
from goldthread.collection.presenters import calendar_rules
from goldthread.improvement.models import LIVE_STATUSES, ImprovementPlan, ScrutinyRecommendation
from goldthread.improvement.services import progress_due
from goldthread.jinja2env import govuk_date
from goldthread.reminders.models import ReminderKind, ReminderSent

# A clinic update is announced a week ahead: enough to gather the actions' progress.
UPDATE_NOTICE = timedelta(days=7)


@dataclass(frozen=True)
class WorkItem:
    """One thing owed, in an email. Plain values only: it travels to the worker as JSON."""

    about: str  # what it concerns, like "clinic:PC-0007"; with `when`, the log's key
    when: str  # the due date (ISO) or, for plan progress, the period key
    title: str
    detail: str
    url: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkItem:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class WorkReminder:
    """One email to one person, listing everything of one kind they owe."""

    user: User
    kind: ReminderKind
    items: tuple[WorkItem, ...]

    def payload(self) -> list[dict[str, Any]]:
        return [asdict(item) for item in self.items]


def _site_url(path: str) -> str:
    from goldthread.reminders.services import site_url

    return site_url(path)


def _reachable(users: Iterable[User | None]) -> list[User]:
    """People who can be emailed, each once, in a stable order."""
    found = {u.pk: u for u in users if u is not None and u.is_active and u.email}
    return [found[pk] for pk in sorted(found)]


# --- Clinics ------------------------------------------------------------------------------


def _held_clinics():
    return Clinic.objects.filter(state=ClinicState.HELD, held_on__isnull=False).order_by(
        "reference"
    )


def update_kind(due_on: date, today: date) -> ReminderKind | None:
    if due_on < today:
        return ReminderKind.UPDATE_OVERDUE
    if due_on - UPDATE_NOTICE <= today:
        return ReminderKind.UPDATE_DUE
    return None


def clinic_updates_owed(clinic: Clinic, today: date) -> list[tuple[date, ReminderKind]]:
    """Each update date that calls for a reminder today: missed ones and the next to come."""
    dates = list(updates_due(clinic, today))
    upcoming = next_update_due(clinic, today)
    if upcoming is not None and upcoming not in dates:
        dates.append(upcoming)
    return [(d, kind) for d in dates if (kind := update_kind(d, today))]


def clinic_update_people(clinic: Clinic) -> list[User]:
    """Those "Your clinic actions" asks for the update: the indicators' data owners, the owners
    of open actions and the facilitating performance officer."""
    owners = [i.data_owner for i in clinic.indicators.select_related("data_owner")]
    doers = [
        a.owner for a in clinic.actions.exclude(status__in=FINISHED_ACTIONS).select_related("owner")
    ]
    return _reachable([*owners, *doers, clinic.facilitator])


def _update_item(clinic: Clinic, due_on: date) -> WorkItem:
    return WorkItem(
        about=f"clinic:{clinic.reference}",
        when=due_on.isoformat(),
        title=f"{clinic.reference} {clinic.title}",
        detail=f"Progress update due by {govuk_date(due_on)}",
        url=_site_url(reverse("clinics:update-write", args=[clinic.reference])),
    )


def _clinic_updates(today: date) -> Iterator[tuple[User, ReminderKind, WorkItem]]:
    for clinic in _held_clinics().select_related("facilitator"):
        owed = clinic_updates_owed(clinic, today)
        people = clinic_update_people(clinic) if owed else []
        for due_on, kind in owed:
            for person in people:
                yield person, kind, _update_item(clinic, due_on)


def overdue_actions(today: date):
    return (
        Action.objects.filter(clinic__state=ClinicState.HELD, due_on__lt=today)
        .exclude(status__in=FINISHED_ACTIONS)
        .select_related("clinic", "owner")
        .order_by("due_on", "clinic__reference", "number")
    )


def _action_item(action: Action) -> WorkItem:
    return WorkItem(
        about=f"action:{action.pk}",
        when=action.due_on.isoformat(),
        title=f"{action.clinic.reference} action {action.number}: {action.description}",
        detail=f"Was due by {govuk_date(action.due_on)}",
        url=_site_url(reverse("clinics:my-actions")),
    )


def _clinic_actions(today: date) -> Iterator[tuple[User, ReminderKind, WorkItem]]:
    for action in overdue_actions(today):
        for person in _reachable([action.owner]):
            yield person, ReminderKind.ACTION_OVERDUE, _action_item(action)


# --- Improvement plans --------------------------------------------------------------------


def entry_kind(period: Period, today: date) -> ReminderKind:
    """Overdue once the calendar's due date for the period's figure has passed: the entry
    records that figure, so it cannot be expected sooner."""
    due = window_for(period, calendar_rules()).due
    return ReminderKind.ENTRY_OVERDUE if today > due else ReminderKind.ENTRY_DUE


def _live_plans():
    return (
        ImprovementPlan.objects.filter(status__in=LIVE_STATUSES)
        .select_related("indicator__data_owner", "author")
        .order_by("pk")
    )


def _entry_item(plan: ImprovementPlan, period: Period) -> WorkItem:
    return WorkItem(
        about=f"plan:{plan.pk}",
        when=period.key,
        title=f"Improvement plan for {plan.indicator.name} ({plan.indicator.code})",
        detail=f"Progress for {period.label}",
        url=_site_url(reverse("improvement:progress-add", args=[plan.pk])),
    )


def _plan_entries(today: date) -> Iterator[tuple[User, ReminderKind, WorkItem]]:
    for plan in _live_plans():
        periods = progress_due(plan, today)
        people = _reachable([plan.author, plan.indicator.data_owner]) if periods else []
        for period in periods:
            for person in people:
                yield person, entry_kind(period, today), _entry_item(plan, period)


# --- Scrutiny recommendations -------------------------------------------------------------


def reviews_due(today: date):
    return (
        ScrutinyRecommendation.objects.filter(reviewed_on__isnull=True, review_due__lte=today)
        .select_related("committee", "recorded_by")
        .order_by("review_due", "pk")
    )


def named_person(text: str) -> User | None:
    """The user a recommendation names as its addressee, like "Dana Jones, Cabinet Member";
    addressees are typed, so only a user's whole full name within the text counts."""
    wanted = text.casefold()
    for user in User.objects.filter(is_active=True).exclude(first_name="", last_name=""):
        name = user.get_full_name().casefold()
        if name and name in wanted:
            return user
    return None


def review_people(found: ScrutinyRecommendation) -> list[User]:
    """The person responsible, the committee's chair and, without a chair, the performance
    team (which supports scrutiny)."""
    chairs = [m.user for m in found.committee.memberships.filter(is_chair=True)]
    supporters = [found.recorded_by] if found.recorded_by.role == Role.PERFORMANCE_OFFICER else []
    if not _reachable(chairs) and not _reachable(supporters):
        supporters = list(User.objects.filter(role=Role.PERFORMANCE_OFFICER))
    return _reachable([named_person(found.addressee), *chairs, *supporters])


def _review_item(found: ScrutinyRecommendation) -> WorkItem:
    return WorkItem(
        about=f"review:{found.pk}",
        when=found.review_due.isoformat(),
        title=f"{found.committee}: {found.review_title}",
        detail=f"Six-month review due {govuk_date(found.review_due)}. {found.text}",
        url=_site_url(found.get_absolute_url()),
    )


def _scrutiny_reviews(today: date) -> Iterator[tuple[User, ReminderKind, WorkItem]]:
    for found in reviews_due(today):
        for person in review_people(found):
            yield person, ReminderKind.REVIEW_DUE, _review_item(found)


# --- Together -----------------------------------------------------------------------------


def intervention_reminders(today: date) -> list[WorkReminder]:
    """Today's intervention emails: one per person and kind, leaving out what was sent."""
    sent = set(
        ReminderSent.objects.exclude(about="").values_list("user_id", "kind", "about", "period")
    )
    grouped: dict[tuple[User, ReminderKind], list[WorkItem]] = defaultdict(list)
    for source in (_clinic_updates, _clinic_actions, _plan_entries, _scrutiny_reviews):
        for person, kind, item in source(today):
            if (person.pk, kind.value, item.about, item.when) not in sent:
                grouped[person, kind].append(item)
    return [
        WorkReminder(user, kind, tuple(items))
        for (user, kind), items in sorted(grouped.items(), key=lambda p: (p[0][0].pk, p[0][1]))
    ]


def still_owed(kind: str, items: Iterable[WorkItem], today: date) -> list[WorkItem]:
    """The items still owed when the worker sends: an update written, an action delivered, a
    plan closed or a review recorded since the reminder was queued drops out."""
    return [item for item in items if _is_owed(ReminderKind(kind), item, today)]


def _is_owed(kind: ReminderKind, item: WorkItem, today: date) -> bool:
    name, _, key = item.about.partition(":")
    if name == "clinic":
        clinic = Clinic.objects.filter(reference=key).first()
        owed = clinic_updates_owed(clinic, today) if clinic else []
        return date.fromisoformat(item.when) in {d for d, _ in owed}
    if name == "action":
        return overdue_actions(today).filter(pk=key, due_on=item.when).exists()
    if name == "plan":
        plan = ImprovementPlan.objects.filter(pk=key).first()
        return plan is not None and item.when in {p.key for p in progress_due(plan, today)}
    if name == "review":
        return reviews_due(today).filter(pk=key, review_due=item.when).exists()
    return False


# --- Counts for the weekly summary --------------------------------------------------------


@dataclass(frozen=True)
class InterventionCounts:
    updates_due: int
    updates_overdue: int
    actions_overdue: int
    entries_owed: int
    entries_overdue: int
    reviews_due: int

    @property
    def total(self) -> int:
        # Owed now: updates not yet due are left out.
        return self.updates_overdue + self.actions_overdue + self.entries_owed + self.reviews_due


def intervention_counts(today: date) -> InterventionCounts:
    updates = [kind for c in _held_clinics() for _, kind in clinic_updates_owed(c, today)]
    entries = [entry_kind(p, today) for plan in _live_plans() for p in progress_due(plan, today)]
    return InterventionCounts(
        updates_due=updates.count(ReminderKind.UPDATE_DUE),
        updates_overdue=updates.count(ReminderKind.UPDATE_OVERDUE),
        actions_overdue=overdue_actions(today).count(),
        entries_owed=len(entries),
        entries_overdue=entries.count(ReminderKind.ENTRY_OVERDUE),
        reviews_due=reviews_due(today).count(),
    )
