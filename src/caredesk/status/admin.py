from django.contrib import admin

from caredesk.infra.readonly_admin import ReadOnlyAdmin
from caredesk.status.models import Service, Subscription


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("id", "name_en", "name_ja", "position")


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "service", "since")
    list_filter = ("service",)
    search_fields = ("organisation__name", "organisation__short_name")
    list_select_related = ("organisation", "service")
