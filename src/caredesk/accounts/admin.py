from django.contrib import admin

from caredesk.accounts.models import ApiToken, Organisation, Profile
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
