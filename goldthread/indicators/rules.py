"""rules predicates for the indicators app, built on access.py so both say the same thing."""

from __future__ import annotations

import rules

from goldthread.indicators import access


@rules.predicate
def can_view_indicator(user, indicator) -> bool:
    if indicator is None:
        return True
    return access.indicators_for(user).filter(pk=indicator.pk).exists()


@rules.predicate
def can_enter_values(user, indicator) -> bool:
    return indicator is not None and access.can_enter_values(user, indicator)


@rules.predicate
def can_set_targets(user, indicator=None) -> bool:
    return access.can_set_targets(user)


@rules.predicate
def can_republish(user, indicator=None) -> bool:
    return access.can_republish(user)


rules.add_perm("indicators.view_indicator", can_view_indicator)
rules.add_perm("indicators.enter_values", can_enter_values)
rules.add_perm("indicators.set_targets", can_set_targets)
rules.add_perm("indicators.republish_judgement", can_republish)
