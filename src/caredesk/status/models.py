"""Services of the catalogue and the organisations subscribed to them.

The catalogue (``services.toml``, with the windows its policies give) is the truth; the
``Service`` table mirrors its identifiers and names after every migration so that rows of
this app and of later ones (incidents, advisories) can refer to a service by key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from caredesk.status.catalogue import catalogue


class Service(models.Model):
    """A platform service (SPEC 5). Its planned maintenance rule is read from the catalogue
    (``catalogue.service(id).rule``), never stored, so it has one source."""

    id = models.SlugField(primary_key=True, max_length=64)
    name_en = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name_en


class Subscription(models.Model):
    """An organisation subscribes to a service: its maintenance calendar, and later its
    incidents and notices, concern it. Changed only through the services (Care)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="service_subscriptions"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="subscriptions")
    since = models.DateTimeField()

    class Meta:
        ordering = ["organisation_id", "service__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service"], name="status_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} -> {self.service_id}"


def sync_services(model: Any = None, using: str = "default") -> None:
    """Insert or update a row per catalogue service (rows of services no longer shipped
    stay: history may name them). ``model``: ``Service`` as a migration state has it."""
    table = model or Service
    for position, info in enumerate(catalogue()):
        table.objects.using(using).update_or_create(
            id=info.id,
            defaults={
                "name_en": info.name_in("en"),
                "name_ja": info.name_in("ja"),
                "position": position,
            },
        )


class RescheduleState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Reschedule(models.Model):
    """A request to move one occurrence of a service's planned maintenance for one
    organisation (seed 004 section 3: the reseller, on the end user's behalf, may ask), and
    Care's decision. An accepted one moves that occurrence for that organisation only.
    Changed only through the services."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="reschedules"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="reschedules")
    # The planned occurrence, by its UTC instants (the start identifies it).
    occurrence_start = models.DateTimeField()
    occurrence_end = models.DateTimeField()
    reason = models.TextField()
    proposed_start = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    state = models.CharField(
        max_length=16, choices=RescheduleState.choices, default=RescheduleState.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, default="")
    # Accepted: the occurrence's new period (as long as the planned one).
    new_start = models.DateTimeField(null=True, blank=True)
    new_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One live request (or accepted move) per occurrence and organisation.
            models.UniqueConstraint(
                fields=["organisation", "service", "occurrence_start"],
                condition=models.Q(state__in=["requested", "accepted"]),
                name="status_reschedule_live_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.occurrence_start:%Y-%m-%d %H:%M}Z ({self.state})"


class AnnouncementKind(models.TextChoices):
    UNPLANNED = "unplanned", "Unplanned maintenance"
    EMERGENCY = "emergency", "Emergency suspension"


class MaintenanceWindow(models.Model):
    """Maintenance outside the planned windows, announced by Care (seed 004 section 3):
    unplanned maintenance, with the policy's notice, or an emergency suspension, which may
    start at once and run until further notice (no ``end``). The subscribed organisations
    are told. Changed only through the services."""

    kind = models.CharField(max_length=16, choices=AnnouncementKind.choices)
    services = models.ManyToManyField(Service, related_name="announced_windows")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(help_text="What is done and why, as Care wrote it.")
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    announced_at = models.DateTimeField()

    class Meta:
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} from {self.start:%Y-%m-%d %H:%M}Z"
