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


class Impact(models.TextChoices):
    """What an incident does to its services (the status page's state of each)."""

    DEGRADED = "degraded", "Degraded performance"
    OUTAGE = "outage", "Outage"


class IncidentStage(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"


class Incident(models.Model):
    """A platform incident (SPEC 5): its services, impact and start, and a timeline of
    updates. Cases linked to it count restoration from its start (SPEC 1.2); its
    post-mortem and Incident Report cover every linked case. Changed only through the
    services."""

    title_en = models.CharField(max_length=200)
    title_ja = models.CharField(max_length=200)
    impact = models.CharField(max_length=16, choices=Impact.choices)
    services = models.ManyToManyField(Service, related_name="incidents")
    started_at = models.DateTimeField()
    stage = models.CharField(max_length=16, choices=IncidentStage.choices)
    resolved_at = models.DateTimeField(null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()
    post_mortem_held_at = models.DateTimeField(null=True, blank=True)
    report_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.stage})"

    def title_in(self, language: str) -> str:
        return self.title_ja if language == "ja" else self.title_en


class IncidentUpdate(models.Model):
    """One entry of an incident's timeline, in English and Japanese."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    stage = models.CharField(max_length=16, choices=IncidentStage.choices)
    text_en = models.TextField()
    text_ja = models.TextField()
    at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.stage} {self.at:%Y-%m-%d %H:%M}Z"

    def text_in(self, language: str) -> str:
        return self.text_ja if language == "ja" else self.text_en


class IncidentCase(models.Model):
    """A case linked to an incident (one incident per case: its restoration has one
    start)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="incident_link"
    )
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["incident_id", "case_id"]

    def __str__(self) -> str:
        return f"{self.incident_id} <- case {self.case_id}"


class Advisory(models.Model):
    """A service advisory (seed 004 section 4.1): a known issue and its workaround, which
    the reseller consults before opening a case; active until Care withdraws it. A case
    about the service's product (the catalogue's ``product``) is shown it on the new-case
    form."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="advisories")
    title_en = models.CharField(max_length=200)
    title_ja = models.CharField(max_length=200)
    text_en = models.TextField(help_text="The known issue and its workaround")
    text_ja = models.TextField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title_en

    def title_in(self, language: str) -> str:
        return self.title_ja if language == "ja" else self.title_en

    def text_in(self, language: str) -> str:
        return self.text_ja if language == "ja" else self.text_en
