"""Base admin classes: one permission decision, history kept, nothing hard-deleted."""

from __future__ import annotations

from simple_history.admin import SimpleHistoryAdmin

from goldthread.accounts.access import can_manage_people, can_manage_reference_data


class ReferenceDataAdmin(SimpleHistoryAdmin):
    """Performance officers and system administrators keep reference data; history is kept."""

    def has_module_permission(self, request) -> bool:
        return can_manage_reference_data(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_manage_reference_data(request.user)

    def has_add_permission(self, request) -> bool:
        return can_manage_reference_data(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_manage_reference_data(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Business records are never hard-deleted; retire them instead.
        return False


class ReadOnlyAdmin(ReferenceDataAdmin):
    """Records made by services (versions, judgements): visible, never edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PeopleAdmin(ReferenceDataAdmin):
    def has_module_permission(self, request) -> bool:
        return can_manage_people(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_manage_people(request.user)

    def has_add_permission(self, request) -> bool:
        return can_manage_people(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_manage_people(request.user)
