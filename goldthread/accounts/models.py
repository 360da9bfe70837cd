"""People and their roles.

Each person has one role, which decides what they may do. What they may see is narrowed by
where they sit: a director's directorate, a data owner's indicators, a committee member's
committees (see committees.models.CommitteeMembership) and a cabinet member's portfolio.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
    DATA_OWNER = "data_owner", "Data owner"
    DIRECTOR = "director", "Director"
    CABINET_MEMBER = "cabinet_member", "Cabinet member"
    COMMITTEE_MEMBER = "committee_member", "Committee member"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


OFFICER_ROLES = frozenset(
    {Role.PERFORMANCE_OFFICER, Role.DATA_OWNER, Role.DIRECTOR, Role.SYSTEM_ADMINISTRATOR}
)
MEMBER_ROLES = frozenset({Role.CABINET_MEMBER, Role.COMMITTEE_MEMBER})


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.DATA_OWNER)
    job_title = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def is_member(self) -> bool:
        return self.role in MEMBER_ROLES

    @property
    def role_label(self) -> str:
        return Role(self.role).label
