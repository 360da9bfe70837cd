"""The words of each email, held once and rendered as plain text and as simple HTML.

Both versions come from the same Email, so they always say the same thing. Plain English,
GOV.UK style: dates like "13 November 2026", sentence case, no images.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from goldthread.analysis.periods import MONTH_NAMES
from goldthread.jinja2env import govuk_date
from goldthread.reminders.interventions import InterventionCounts, WorkItem
from goldthread.reminders.models import ReminderKind
from goldthread.reminders.services import Digest, ReminderItem, site_url


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""
    link_text: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...] = ()
    paragraphs: tuple[str, ...] = ()
    links: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Email:
    subject: str
    greeting: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...] = ()
    links: tuple[Line, ...] = field(default=())

    def text(self) -> str:
        parts = [self.greeting, *self.intro]
        for section in self.sections:
            parts.append(f"{section.heading}\n{'-' * len(section.heading)}")
            parts.extend(section.paragraphs)
            parts.extend(_text_line(line) for line in section.lines)
            parts.extend(_text_link(link) for link in section.links)
        parts.extend(_text_link(link) for link in self.links)
        return "\n\n".join(parts) + "\n"

    def html(self) -> str:
        return render_to_string("reminders/email.html", {"email": self})

    def message(self, to: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject, self.text(), settings.DEFAULT_FROM_EMAIL, [to]
        )
        message.attach_alternative(self.html(), "text/html")
        return message


def _text_line(line: Line) -> str:
    rows = [f"- {line.text}", *(f"  {detail}" for detail in line.details)]
    if line.url:
        rows.append(f"  {line.link_text}: {line.url}")
    return "\n".join(rows)


def _text_link(link: Line) -> str:
    return f"{link.text}: {link.url}"


def _figures(count: int) -> str:
    return {0: "no figures", 1: "1 figure"}.get(count, f"{count} figures")


def _corrections(count: int) -> str:
    """Like "1 correction of a published figure", "No corrections of published figures"."""
    if count == 1:
        return "1 correction of a published figure"
    return f"{'No' if count == 0 else count} corrections of published figures"


def _day(value: date | None) -> str:
    """Like "13 November": the year is left out of subject lines, which are read within days."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]}" if value else ""


def _greeting(user) -> str:
    return f"Hello {user.first_name or user.get_full_name() or user.username},"


def _my_updates() -> Line:
    url = site_url(reverse("collection:my-updates"))
    return Line("See everything you need to enter on My updates", url)


def _figure_line(item: ReminderItem, *, due_text: str = "Due by") -> Line:
    details = (f"{due_text} {govuk_date(item.due_date)}",) if item.due_date else ()
    if item.reason:
        details = (*details, f"Reason: {item.reason}")
    return Line(
        text=f"{item.name} ({item.code}), {item.period_label}",
        url=item.url,
        link_text="Enter the figure" if not item.reason else "Change the figure",
        details=details,
    )


def reminder_email(user, kind: str, items: Sequence[ReminderItem]) -> Email:
    return {
        ReminderKind.BEFORE_DUE: _before_due,
        ReminderKind.OVERDUE: _overdue,
        ReminderKind.RETURNED: _returned,
    }[ReminderKind(kind)](user, items)


def _before_due(user, items: Sequence[ReminderItem]) -> Email:
    first_due = min(item.due_date for item in items if item.due_date)
    same_day = all(item.due_date == first_due for item in items)
    subject = (
        f"Goldthread: {_figures(len(items))} due by {_day(first_due)}"
        if same_day
        else f"Goldthread: {_figures(len(items))} due soon, the first by {_day(first_due)}"
    )
    return Email(
        subject=subject,
        greeting=_greeting(user),
        intro=(
            f"You have {_figures(len(items))} to enter and submit soon.",
            "Enter each figure, with a comment on the result, and submit it for checking "
            "by the performance team.",
        ),
        sections=(Section("Figures due", tuple(_figure_line(item) for item in items)),),
        links=(_my_updates(),),
    )


def _overdue(user, items: Sequence[ReminderItem]) -> Email:
    verb = "is" if len(items) == 1 else "are"
    return Email(
        subject=f"Goldthread: {_figures(len(items))} {verb} overdue",
        greeting=_greeting(user),
        intro=(
            f"{_figures(len(items)).capitalize()} {verb} overdue: the due date has passed "
            "and nothing has been submitted.",
            "Enter and submit each figure as soon as you can. If you cannot, tell the "
            "performance team why.",
        ),
        sections=(
            Section(
                "Overdue figures",
                tuple(_figure_line(item, due_text="Was due by") for item in items),
            ),
        ),
        links=(_my_updates(),),
    )


def _returned(user, items: Sequence[ReminderItem]) -> Email:
    if all(item.correction_id for item in items):
        return _correction_returned(user, items)
    item = items[0]
    who = item.returned_by or "The performance team"
    subject = (
        f"Goldthread: your {item.period_label} figure for {item.name} needs changes"
        if len(items) == 1
        else f"Goldthread: {_figures(len(items))} returned for changes"
    )
    return Email(
        subject=subject,
        greeting=_greeting(user),
        intro=(
            f"{who} returned {'your figure' if len(items) == 1 else 'your figures'} for changes.",
            "Read the reason, change the figure or its commentary, then submit it again.",
        ),
        sections=(
            Section(
                "Returned for changes",
                tuple(_figure_line(i, due_text="Was due by") for i in items),
            ),
        ),
    )


def _correction_returned(user, items: Sequence[ReminderItem]) -> Email:
    """A correction of a published figure came back: the published figure stands meanwhile."""
    item = items[0]
    who = item.returned_by or "The performance team"
    several = len(items) > 1
    subject = (
        f"Goldthread: {len(items)} corrections returned for changes"
        if several
        else f"Goldthread: your correction of the {item.period_label} figure for {item.name} "
        "needs changes"
    )
    return Email(
        subject=subject,
        greeting=_greeting(user),
        intro=(
            f"{who} returned {'your corrections' if several else 'your correction'} of a "
            "published figure for changes.",
            "The published figure stays as it is until a correction is approved and published. "
            "Read the reason, change the correction, then submit it again, or withdraw it if "
            "the published figure is right after all.",
        ),
        sections=(
            Section(
                "Corrections returned for changes",
                tuple(
                    Line(
                        text=f"{i.name} ({i.code}), {i.period_label}",
                        url=i.url,
                        link_text="Change the correction",
                        details=(f"Reason: {i.reason}",) if i.reason else (),
                    )
                    for i in items
                ),
            ),
        ),
    )


# --- Intervention work: clinics, improvement plans, scrutiny reviews ------------------------


@dataclass(frozen=True)
class WorkWords:
    """What one kind of intervention email says: {n} is the count in words."""

    subject: str
    intro: str
    heading: str
    link_text: str
    things: tuple[str, str]  # singular, plural; {is} in the words agrees with the count
    hub: tuple[str, str] = ("", "")  # text and URL name of the page listing all of them


WORK_WORDS = {
    ReminderKind.UPDATE_DUE: WorkWords(
        "Goldthread: {n} due soon",
        "The panel expects {n} from you soon. Say how each action in the plan is going.",
        "Updates due",
        "Write the update",
        ("clinic progress update", "clinic progress updates"),
        ("See your clinic actions", "clinics:my-actions"),
    ),
    ReminderKind.UPDATE_OVERDUE: WorkWords(
        "Goldthread: {n} {is} overdue",
        "{N} {is} overdue: the due date has passed and nothing has been written. The panel "
        "monitors the plan until it is satisfied.",
        "Overdue updates",
        "Write the update",
        ("clinic progress update", "clinic progress updates"),
        ("See your clinic actions", "clinics:my-actions"),
    ),
    ReminderKind.ACTION_OVERDUE: WorkWords(
        "Goldthread: {n} {is} overdue",
        "{N} you own {is} past the due date and not yet delivered or dropped by the panel.",
        "Overdue actions",
        "See your clinic actions",
        ("clinic action", "clinic actions"),
    ),
    ReminderKind.ENTRY_DUE: WorkWords(
        "Goldthread: improvement plan progress due ({n})",
        "{N} {is} due: say what has been done in each period and what the figure shows.",
        "Progress due",
        "Add the progress entry",
        ("progress entry", "progress entries"),
        ("See all improvement plans", "improvement:plans"),
    ),
    ReminderKind.ENTRY_OVERDUE: WorkWords(
        "Goldthread: improvement plan progress overdue ({n})",
        "{N} {is} overdue: the period's figure was due some time ago and the plan has no "
        "entry for it.",
        "Overdue progress",
        "Add the progress entry",
        ("progress entry", "progress entries"),
        ("See all improvement plans", "improvement:plans"),
    ),
    ReminderKind.REVIEW_DUE: WorkWords(
        "Goldthread: scrutiny review due ({n})",
        "Six months have passed since the response to {n}, so scrutiny should now review "
        "what has happened and record its findings.",
        "Reviews due",
        "Record the review",
        ("recommendation", "recommendations"),
        ("See all scrutiny recommendations", "improvement:recommendations"),
    ),
}


def _count(count: int, things: tuple[str, str]) -> str:
    return f"1 {things[0]}" if count == 1 else f"{count} {things[1]}"


def intervention_email(user, kind: str, items: Sequence[WorkItem]) -> Email:
    words = WORK_WORDS[ReminderKind(kind)]
    n = _count(len(items), words.things)
    say = {"n": n, "N": n.capitalize(), "is": "is" if len(items) == 1 else "are"}
    hub_text, hub_name = words.hub
    return Email(
        subject=words.subject.format(**say),
        greeting=_greeting(user),
        intro=(words.intro.format(**say),),
        sections=(Section(words.heading, _work_lines(items, words.link_text)),),
        links=(Line(hub_text, site_url(reverse(hub_name))),) if hub_name else (),
    )


# A plan raised long ago can owe dozens of periods; the page it links to lists them all.
MOST_DETAILS = 4


def _work_lines(items: Sequence[WorkItem], link_text: str) -> tuple[Line, ...]:
    """One line per thing (a plan owing several periods is one line), details in order."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for item in items:
        grouped.setdefault((item.title, item.url), []).append(item.detail)
    return tuple(
        Line(title, url, link_text, _shortened(details))
        for (title, url), details in grouped.items()
    )


def _shortened(details: list[str]) -> tuple[str, ...]:
    if len(details) <= MOST_DETAILS:
        return tuple(details)
    more = len(details) - MOST_DETAILS + 1
    return (*details[: MOST_DETAILS - 1], f"And {more} more, all listed on the page")


def _interventions_section(counts: InterventionCounts) -> Section:
    return Section(
        "Interventions",
        paragraphs=(
            f"Clinic progress updates: {counts.updates_overdue} overdue, "
            f"{counts.updates_due} due in the next 7 days.",
            f"Clinic actions overdue: {counts.actions_overdue}.",
            f"Improvement plan progress entries owed: {counts.entries_owed}, of which "
            f"{counts.entries_overdue} overdue.",
            f"Scrutiny recommendations due their six-month review: {counts.reviews_due}.",
        ),
        links=(
            Line("See all clinics", site_url(reverse("clinics:list"))),
            Line("See all improvement plans", site_url(reverse("improvement:plans"))),
            Line(
                "See all scrutiny recommendations",
                site_url(reverse("improvement:recommendations")),
            ),
        ),
    )


def digest_email(user, digest: Digest) -> Email:
    sections = [
        Section(
            "Waiting for the performance team",
            paragraphs=(
                f"{_figures(digest.submitted).capitalize()} submitted and waiting to be checked.",
                f"{_figures(digest.returned).capitalize()} returned to data owners and not "
                "yet submitted again.",
                f"{_corrections(digest.returned_corrections)} returned to data owners and "
                "not yet submitted again.",
            ),
            links=(Line("Check submitted figures", site_url(reverse("collection:approvals"))),),
        ),
        Section(
            "Overdue figures",
            lines=tuple(
                Line(
                    text=f"{owner}: {_figures(len(items))}",
                    details=tuple(f"{i.name} ({i.code}), {i.period_label}" for i in items),
                )
                for owner, items in digest.overdue_by_owner
            ),
            paragraphs=() if digest.overdue_by_owner else ("No figures are overdue.",),
        ),
        Section(
            "Off target results new or changed in the last 7 days",
            lines=tuple(
                Line(
                    text=f"{c.name} ({c.code}), {c.period_label}",
                    url=c.url,
                    link_text="See the indicator",
                )
                for c in digest.red_changes
            ),
            paragraphs=()
            if digest.red_changes
            else ("No off target result was added or changed in the last 7 days.",),
        ),
        _interventions_section(digest.interventions),
    ]
    return Email(
        subject=f"Goldthread: weekly summary for {govuk_date(digest.today)}",
        greeting=_greeting(user),
        intro=(
            f"This is the weekly summary of data collection and interventions on "
            f"{govuk_date(digest.today)}: {_figures(digest.submitted)} to check, "
            f"{_figures(digest.overdue)} overdue and "
            f"{_count(digest.interventions.total, ('intervention task', 'intervention tasks'))} "
            "owed (clinic updates and actions, plan progress, scrutiny reviews).",
        ),
        sections=tuple(sections),
    )
