"""What the plan pages show: section 1 from the stored data, the plan as one Document (page,
print, PDF and Word in the seed's layout), the actions open to the reader, and the lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from goldthread.analysis.periods import Period, parse_period
from goldthread.core.formatting import format_value
from goldthread.documents import model as doc
from goldthread.improvement import access, services
from goldthread.improvement.models import (
    Duration,
    FactorKind,
    ImprovementPlan,
    SolutionState,
)
from goldthread.indicators.models import Indicator, Judgement
from goldthread.jinja2env import govuk_date


@dataclass(frozen=True)
class Score:
    label: str
    value: str
    as_at: str


def _fmt(indicator: Indicator, value: float | None) -> str:
    return format_value(value, indicator.unit, indicator.decimals, missing="No figure")


def _date(value: date | None) -> str:
    return govuk_date(value, none="Not known")


def section_one(plan: ImprovementPlan) -> list[Score]:
    """Target, score, last year-end score and score 12 months ago, each with its date, read
    from the judgement stored for the period the plan was raised at."""
    indicator = plan.indicator
    period = parse_period(plan.raised_period)
    judgement = (
        Judgement.objects.filter(indicator=indicator, period=plan.raised_period)
        .select_related("target_version")
        .first()
    )
    version = judgement.target_version if judgement else None
    annual = version.annual_target if version else None
    target_text = _fmt(indicator, judgement.target if judgement else None)
    if version and annual is not None:
        target_text += f" for {period.label} ({_fmt(indicator, annual)} for {version.year_label})"
    # The target's "as at" date is when the period's target applies from, not the day its
    # version was typed in: a target re-set in May still applies from the period it covers.
    return [
        Score("Target", target_text, _date(period.start if version else None)),
        Score("Score", _fmt(indicator, judgement.value if judgement else None), _date(period.end)),
        Score(
            "Last year end score",
            _fmt(indicator, judgement.year_end_value if judgement else None),
            _date(period.last_year_end().end),
        ),
        Score(
            "Score 12 months ago",
            _fmt(indicator, judgement.last_year_value if judgement else None),
            _date(period.same_period_last_year().end),
        ),
    ]


# The plan as a document -------------------------------------------------------------------


def _factor_section(plan: ImprovementPlan, kind: str, number: int) -> doc.Section:
    factors = list(services.current_factors(plan).filter(kind=kind))
    names = factor_names(plan)
    rows = []
    for duration in Duration:
        found = [f for f in factors if f.duration == duration]
        key = f"{duration.label} factors"
        rows += [doc.Fact(key, f"{names[f.pk]}: {f.description}") for f in found]
        rows += [] if found else [doc.Fact(key, "None recorded")]
    heading = f"Section {number} {FactorKind(kind).label} factors impacting performance"
    return doc.Section(heading, [doc.Facts(rows)], id=f"section-{number}")


def factor_names(plan: ImprovementPlan) -> dict[int, str]:
    """Short names that solutions use to say which factors they address: E1, I2 and so on."""
    names, counts = {}, {FactorKind.EXTERNAL: 0, FactorKind.INTERNAL: 0}
    for factor in services.current_factors(plan).order_by("kind", "pk"):
        counts[factor.kind] += 1
        names[factor.pk] = f"{factor.kind[0].upper()}{counts[factor.kind]}"
    return names


def _solution_text(solution, names: dict[int, str]) -> str:
    parts = [solution.description]
    parts.append(f"Resourcing: {solution.get_resourcing_display().lower()}.")
    if solution.resourcing_notes:
        parts.append(solution.resourcing_notes)
    if solution.expected_lag:
        parts.append(f"Expected time before performance turns: {solution.expected_lag}.")
    if solution.is_alternative:
        parts.append(
            f"Alternative option. Strengths: {solution.strengths} Weaknesses: {solution.weaknesses}"
        )
    if solution.state != SolutionState.PROPOSED:
        when = f" on {_date(solution.in_place_on)}" if solution.in_place_on else ""
        parts.append(f"{solution.get_state_display()}{when}.")
    return " ".join(parts)


def _solutions_section(plan: ImprovementPlan) -> doc.Section:
    names = factor_names(plan)
    rows = [
        [
            _solution_text(s, names),
            _date(s.target_date),
            ", ".join(sorted(names[f.pk] for f in s.factors.all() if f.pk in names)) or "None",
        ]
        for s in services.current_solutions(plan)
    ]
    key = [
        f"{names[f.pk]}: {f.description}" for f in services.current_factors(plan).order_by("kind")
    ]
    content: list = [
        doc.Table("Proposed solutions", ["Solutions", "Target date", "Factors addressed"], rows)
    ]
    if key:
        content.append(doc.Paragraph("Factors, as numbered in this section:"))
        content.append(doc.BulletList(key))
    return doc.Section("Section 4 Proposed solutions", content, id="section-4")


def _comment_text(comment) -> str:
    """Seed 003: each comment is cross-referenced to the meeting it was made at."""
    where = f"{comment.meeting_name}, {_date(comment.meeting_date)}"
    if comment.minute:
        where += f", minute {comment.minute}"
    return f"{comment.comment} ({comment.made_by}; {where})"


def _comments_section(plan: ImprovementPlan) -> doc.Section:
    from goldthread.improvement.models import CommentSource

    comments = list(plan.management_comments.select_related("meeting__committee"))
    facts = []
    for source in CommentSource:
        found = [_comment_text(c) for c in comments if c.source == source]
        facts += [doc.Fact(source.label, text) for text in found]
        if not found and source != CommentSource.OMT:
            facts.append(doc.Fact(source.label, "None recorded"))
    return doc.Section("Section 5 Management comment", [doc.Facts(facts)], id="section-5")


def _progress_section(plan: ImprovementPlan) -> doc.Section:
    indicator = plan.indicator
    rows = [
        [
            _date(e.entry_date),
            (f"{parse_period(e.period).label}: " + e.comment)
            + (" This is the final entry: the plan has been completed." if e.is_final else ""),
            _fmt(indicator, e.score),
        ]
        for e in plan.progress_entries.all()
    ]
    table = doc.Table(
        "Progress tracking", ["Date", "Comment", "PI score"], rows, numeric_columns=[2]
    )
    return doc.Section("Section 6 Progress tracking", [table], id="section-6")


def _referral_section(plan: ImprovementPlan) -> doc.Section | None:
    referrals = list(plan.referrals.select_related("referred_by_committee", "to_committee"))
    if not referrals:
        return None
    content: list = []
    for r in referrals:
        facts = [
            doc.Fact(
                "Referred by",
                f"{r.referred_by_committee}, {_date(r.referred_on)}"
                + (f", minute {r.referred_minute}" if r.referred_minute else ""),
            ),
            doc.Fact("Referred to", str(r.to_committee)),
            doc.Fact("Why", r.reason),
            doc.Fact("Decision", _decision_text(r)),
        ]
        content.append(doc.Facts(facts))
    return doc.Section("Referral to a policy committee", content, id="referral")


def _decision_text(referral) -> str:
    if not referral.is_decided:
        return "Waiting for the committee's decision"
    text = f"{referral.get_decision_display()} ({_date(referral.decided_on)}"
    text += f", minute {referral.decision_minute})" if referral.decision_minute else ")"
    if referral.new_target_version:
        version = referral.new_target_version
        target = _fmt(referral.plan.indicator, version.annual_target)
        if version.annual_target is None:
            target = f"{version.band_lower} to {version.band_upper}"
        text += f". New {version.year_label} target: {target} (version {version.version})"
    return f"{text}. {referral.decision_notes}"


def _details_section(plan: ImprovementPlan) -> doc.Section:
    """Seed 003's Section 1: the indicator, then the grid of measure, value and as-at date,
    then the comments."""
    indicator = plan.indicator
    about = [doc.Fact("PI code", indicator.code), doc.Fact("PI name", indicator.name)]
    about.append(doc.Fact("PI description", indicator.definition or "Not recorded"))
    grid = doc.Table(
        "Target and scores",
        ["Measure", "Value", "As at"],
        [[s.label, s.value, s.as_at] for s in section_one(plan)],
        row_headers=True,
    )
    comments = doc.Facts([doc.Fact("Comments", plan.comments or "None")])
    content = [doc.Facts(about), grid, comments]
    return doc.Section("Section 1 Performance indicator details", content, id="section-1")


def plan_document(plan: ImprovementPlan) -> doc.Document:
    """The plan in the seed's layout: the same source for the page, print, PDF and Word."""
    indicator = plan.indicator
    sections = [
        _details_section(plan),
        _factor_section(plan, FactorKind.EXTERNAL, 2),
        _factor_section(plan, FactorKind.INTERNAL, 3),
        _solutions_section(plan),
        _comments_section(plan),
        _progress_section(plan),
    ]
    if referral := _referral_section(plan):
        sections.append(referral)
    return doc.Document(
        title=f"Performance Improvement Plan: {indicator.code} {indicator.name}",
        reference=f"PIP-{plan.pk}",
        subtitle=plan.get_status_display(),
        metadata=doc.Metadata(
            author=str(plan.author),
            date=plan.created_at.date(),
            protective_marking="OFFICIAL",
            subject=f"Performance Improvement Plan for {indicator.code}",
            keywords=("Performance Improvement Plan", indicator.code),
        ),
        sections=sections,
    )


# The page around it -----------------------------------------------------------------------


@dataclass
class PlanPage:
    plan: ImprovementPlan
    problems: list[str]
    due: list[Period]
    factors: list
    solutions: list
    names: dict[int, str]
    referrals: list
    can_write: bool
    can_validate: bool
    can_refer: bool
    can_decide: bool
    can_withdraw: bool
    unfinished: list[str] = field(default_factory=list)


def plan_page(user, plan: ImprovementPlan, today: date) -> PlanPage:
    return PlanPage(
        plan=plan,
        problems=services.coverage_problems(plan) if plan.is_live else [],
        due=services.progress_due(plan, today),
        factors=list(services.current_factors(plan)),
        solutions=list(services.current_solutions(plan)),
        names=factor_names(plan),
        referrals=list(plan.referrals.select_related("referred_by_committee", "to_committee")),
        can_write=access.can_write(user, plan),
        can_validate=access.can_validate(user, plan),
        can_refer=access.can_refer(user, plan),
        can_decide=access.can_record_decision(user),
        can_withdraw=access.can_withdraw(user, plan),
        unfinished=services.unfinished_solutions(plan),
    )
