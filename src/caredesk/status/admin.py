from django.contrib import admin
from django.http import HttpRequest

from caredesk.infra.readonly_admin import ReadOnlyAdmin
from caredesk.status.models import (
    Advisory,
    Incident,
    IncidentCase,
    IncidentUpdate,
    MaintenanceWindow,
    Reschedule,
    Service,
    Subscription,
)


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("id", "name_en", "name_ja", "position")


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "service", "since")
    list_filter = ("service",)
    search_fields = ("organisation__name", "organisation__short_name")
    list_select_related = ("organisation", "service")


@admin.register(Reschedule)
class RescheduleAdmin(ReadOnlyAdmin):
    list_display = (
        "organisation",
        "service",
        "occurrence_start",
        "proposed_start",
        "state",
        "new_start",
        "requested_by",
        "decided_by",
    )
    list_filter = ("state", "service")
    list_select_related = ("organisation", "service", "requested_by", "decided_by")


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(ReadOnlyAdmin):
    list_display = ("kind", "start", "end", "announced_by", "announced_at")
    list_filter = ("kind", "services")


class IncidentUpdateInline(admin.TabularInline):  # type: ignore[type-arg]
    model = IncidentUpdate
    extra = 0
    can_delete = False
    fields = ("at", "stage", "text_en", "text_ja", "posted_by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("title_en", "impact", "stage", "started_at", "resolved_at", "declared_by")
    list_filter = ("stage", "impact", "services")
    inlines = (IncidentUpdateInline,)


@admin.register(IncidentCase)
class IncidentCaseAdmin(ReadOnlyAdmin):
    list_display = ("incident", "case", "linked_at", "linked_by")
    list_select_related = ("incident", "case", "linked_by")


@admin.register(Advisory)
class AdvisoryAdmin(ReadOnlyAdmin):
    list_display = ("title_en", "service", "published_at", "withdrawn_at", "published_by")
    list_filter = ("service",)
