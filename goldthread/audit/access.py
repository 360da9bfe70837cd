"""Who may read the audit trail.

The audit trail is internal: it names the officers who saved, checked and changed figures and
gives their reasons, so only officers see it. An indicator's trail is for officers who may see
the indicator; the council-wide log is for the performance team and system administrators.
"""

from __future__ import annotations

from goldthread.accounts.models import OFFICER_ROLES, Role

_SEES_LOG = {Role.PERFORMANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR}


def _role(user) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def can_see_indicator_audit(user) -> bool:
    return _role(user) in OFFICER_ROLES


def can_see_audit_log(user) -> bool:
    return _role(user) in _SEES_LOG
