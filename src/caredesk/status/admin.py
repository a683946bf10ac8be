from django.contrib import admin

from caredesk.infra.readonly_admin import ReadOnlyAdmin
from caredesk.status.models import MaintenanceWindow, Reschedule, Service, Subscription


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
