"""Who may manage people and reference data (the settings pages, Django admin)."""

from __future__ import annotations

from goldthread.accounts.models import Role


def can_manage_reference_data(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role
        in (
            Role.PERFORMANCE_OFFICER,
            Role.SYSTEM_ADMINISTRATOR,
        )
    )


def can_manage_people(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.SYSTEM_ADMINISTRATOR
