"""Organisations (vendor, resellers, customer accounts), people and their roles, API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OrgKind(models.TextChoices):
    VENDOR = "vendor", "Vendor"
    RESELLER = "reseller", "Reseller"
    CUSTOMER = "customer", "Customer account"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    short_name = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        help_text="The reseller an end-user account belongs to.",
    )
    policy = models.CharField(max_length=64, help_text="Support policy id, e.g. purecloud-support.")
    plan = models.CharField(max_length=64)
    licences = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166 code; public holidays.")
    subdivision = models.CharField(max_length=8, blank=True, default="")
    timezone = models.CharField(max_length=64, help_text="IANA zone of the business hours.")
    # The organisation's own working hours as a policy's business hours are written
    # ({"mon": ["09:00-12:00", "13:00-18:00"], ...}); empty: its policy's business hours.
    hours = models.JSONField(
        default=dict, blank=True, help_text="Own working hours; empty: the policy's."
    )
    region = models.CharField(max_length=64, blank=True, default="")
    tam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tam_of",
        help_text="Technical Account Manager.",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CONTACT = "contact", "Customer contact"
    ENGINEER = "engineer", "Care engineer"
    MANAGER = "manager", "Care manager"
    ADMIN = "admin", "Administrator"


CARE_ROLES = (Role.ENGINEER, Role.MANAGER, Role.ADMIN)
MANAGER_ROLES = (Role.MANAGER, Role.ADMIN)  # Care who may change rules and decide


class Profile(models.Model):
    """What CareDesk knows of a person beyond Django's user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CONTACT)
    phone = models.CharField(max_length=32, blank=True, default="")
    language = models.CharField(max_length=8, default="en")
    timezone = models.CharField(max_length=64, default="UTC")
    # Designated-contact onboarding: training makes a designated contact; the credentials
    # are a task for Care, due 48 business hours after the training.
    training_completed_at = models.DateTimeField(null=True, blank=True)
    credentials_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    credentials_issued_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_care(self) -> bool:
        return self.role in CARE_ROLES

    @property
    def is_designated(self) -> bool:
        return self.role == Role.CONTACT and self.training_completed_at is not None

    def __str__(self) -> str:
        return f"{self.user} ({self.role}, {self.organisation})"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, default="default")
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}... ({self.user})"


class VendorHoliday(models.Model):
    """A day Care declares the vendor closed (SPEC 2: dates the vendor declares): all day, or
    open only from ``open_from`` and/or until ``open_until`` (closing early at 13:00). The
    vendor's own calendar skips it: the management-attention mailbox's handling deadline and
    the channels Care staffs in business hours. Changed only through the services."""

    day = models.DateField(unique=True, help_text="A local date of the vendor's calendars.")
    name = models.CharField(max_length=100)
    open_from = models.TimeField(null=True, blank=True, help_text="Opens late at; empty: as usual.")
    open_until = models.TimeField(
        null=True, blank=True, help_text="Closes early at; empty (and no opening): closed all day."
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}"
