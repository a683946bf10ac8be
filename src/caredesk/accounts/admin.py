from datetime import time
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from caredesk.accounts import services
from caredesk.accounts.models import MANAGER_ROLES, ApiToken, Organisation, Profile, VendorHoliday
from caredesk.core.hours import declared_day
from caredesk.infra.clock import CLOCK
from caredesk.infra.readonly_admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "short_name", "kind", "policy", "plan", "country", "timezone", "tam")
    list_filter = ("kind", "policy", "plan", "country")
    search_fields = ("name", "short_name")


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "organisation",
        "role",
        "language",
        "timezone",
        "training_completed_at",
        "credentials_due_at",
        "credentials_issued_at",
    )
    list_filter = ("role", "language")
    search_fields = ("user__email", "user__username", "organisation__name")
    list_select_related = ("user", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    # The digest is not shown: it identifies a secret.
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
    search_fields = ("user__email", "prefix")
    list_select_related = ("user",)


class VendorHolidayForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = VendorHoliday
        fields = ("day", "name", "open_from", "open_until")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not self.errors:  # the hours as the service will check them
            try:
                declared_day(
                    data["day"], _hhmm(data.get("open_from")), _hhmm(data.get("open_until"))
                )
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


@admin.register(VendorHoliday)
class VendorHolidayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Declared and removed through the services, by Care managers; never edited in place."""

    form = VendorHolidayForm
    list_display = ("day", "name", "open_from", "open_until", "declared_by", "declared_at")
    date_hierarchy = "day"

    def _is_manager(self, request: HttpRequest) -> bool:
        profile = getattr(request.user, "profile", None)
        return profile is not None and profile.role in MANAGER_ROLES

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_manager(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_manager(request)

    def save_model(self, request: HttpRequest, obj: VendorHoliday, form: Any, change: bool) -> None:
        declared = services.declare_vendor_holiday(
            actor=request.user,  # type: ignore[arg-type]
            day=obj.day.isoformat(),
            name=obj.name,
            open_from=_hhmm(obj.open_from),
            open_until=_hhmm(obj.open_until),
            now=CLOCK.now(),
        )
        obj.pk = declared.pk
        obj.declared_by = declared.declared_by
        obj.declared_at = declared.declared_at

    def delete_model(self, request: HttpRequest, obj: VendorHoliday) -> None:
        services.remove_vendor_holiday(actor=request.user, day=obj.day.isoformat())  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[VendorHoliday]) -> None:
        for holiday in queryset:
            self.delete_model(request, holiday)
