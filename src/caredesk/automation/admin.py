from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from caredesk.automation import outbox
from caredesk.automation.models import Outbox, Timer, TimerLog, WebhookSubscription
from caredesk.infra.clock import CLOCK
from caredesk.infra.readonly_admin import ReadOnlyAdmin


@admin.register(Timer)
class TimerAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "due_at", "attempts", "last_error")
    list_filter = ("kind",)
    search_fields = ("key",)


@admin.register(TimerLog)
class TimerLogAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "due_at", "fired_at", "outcome")
    list_filter = ("kind",)
    search_fields = ("key", "outcome")


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ("key", "channel", "event", "state", "attempts", "next_attempt_at", "last_error")
    list_filter = ("state", "channel", "event")
    search_fields = ("key",)
    actions = ("deliver_again",)

    @admin.action(description="Deliver again (dead or pending rows)")
    def deliver_again(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = outbox.redrive(queryset.values_list("id", flat=True), now=CLOCK.now())
        self.message_user(request, f"{count} deliveries will be tried again.", messages.SUCCESS)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    # The secret is not shown: it signs every delivery.
    list_display = ("organisation", "url", "active", "created_at")
    exclude = ("secret",)
