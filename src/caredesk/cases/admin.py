from django.contrib import admin

from caredesk.cases.models import Case, CaseEvent, CaseLink, SeverityRequest, SlaClock
from caredesk.infra.readonly_admin import ReadOnlyAdmin


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseEvent
    fields = ("seq", "at", "actor", "kind", "data", "reason")
    readonly_fields = fields
    ordering = ("seq",)
    extra = 0
    can_delete = False


class ClockInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SlaClock
    fields = ("metric", "target", "started_at", "due_at", "at_risk_at", "stopped_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "organisation",
        "severity",
        "priority",
        "status",
        "subject",
        "opened_at",
        "next_due",
    )
    list_filter = ("status", "severity", "case_type", "policy", "plan")
    search_fields = ("number", "subject", "organisation__name")
    list_select_related = ("organisation",)
    inlines = (ClockInline, EventInline)


@admin.register(SeverityRequest)
class SeverityRequestAdmin(ReadOnlyAdmin):
    list_display = ("case", "from_severity", "to_severity", "state", "requested_at")
    list_filter = ("state",)


@admin.register(CaseLink)
class CaseLinkAdmin(ReadOnlyAdmin):
    list_display = ("from_case", "kind", "to_case")
    list_filter = ("kind",)
