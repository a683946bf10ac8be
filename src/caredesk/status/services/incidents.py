"""Platform incidents (SPEC 5): Care declares them and posts their timeline; customers read
those on their subscribed services. Cases are linked to an incident through the cases
services, so each case's history and clocks say so; resolving an incident can mark its
linked cases restored; the post-mortem and Incident Report are held for the incident."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from caredesk.accounts import services as accounts
from caredesk.cases import services as cases
from caredesk.cases.models import Case, EventKind
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import Conflict, NotFound
from caredesk.status import signals
from caredesk.status.models import (
    Impact,
    Incident,
    IncidentCase,
    IncidentStage,
    IncidentUpdate,
    Service,
    Subscription,
)
from caredesk.status.services.values import affected_services, aware, invalid
from caredesk.status.services.version import changed

# A linked case still waiting for its service: resolving the incident restores it.
_UNRESTORED = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING_ON_CUSTOMER)


def _choice(value: str, choices: type[Impact] | type[IncidentStage], field: str) -> str:
    if value not in choices.values:
        expected = ", ".join(choices.values)
        raise invalid(field, f"unknown {field} {value!r}; expected one of: {expected}")
    return value


def _texts(english: str, japanese: str, field: str) -> tuple[str, str]:
    for language, text in (("English", english), ("Japanese", japanese)):
        if not text.strip():
            raise invalid(field, f"the {field} in {language} is empty; write it in both languages")
    return english.strip(), japanese.strip()


def declare_incident(
    *,
    actor: User,
    title_en: str,
    title_ja: str,
    impact: str,
    services: Sequence[str],
    started_at: datetime,
    stage: str = IncidentStage.INVESTIGATING,
    text_en: str,
    text_ja: str,
    now: datetime,
) -> Incident:
    """Care declares an incident that started at ``started_at`` (not after now), with its
    first update; the subscribed organisations are told."""
    accounts.require_care(actor)
    titles = _texts(title_en, title_ja, "title")
    _choice(impact, Impact, "impact")
    _choice(stage, IncidentStage, "stage")
    if stage == IncidentStage.RESOLVED:
        raise invalid(
            "stage",
            "a new incident cannot start resolved; expected investigating, "
            "identified or monitoring",
        )
    affected = affected_services(services)
    begins = aware(started_at, "started_at")
    if begins > now:
        raise invalid(
            "started_at",
            f"started_at {begins.isoformat()} is in the future; expected when the incident "
            "started, at or before now",
        )
    texts = _texts(text_en, text_ja, "text")
    with transaction.atomic():
        incident = Incident.objects.create(
            title_en=titles[0],
            title_ja=titles[1],
            impact=impact,
            started_at=begins,
            stage=stage,
            declared_by=actor,
            declared_at=now,
        )
        incident.services.set(list(Service.objects.filter(id__in=[i.id for i in affected])))
        update = _append_update(incident, stage, texts, actor=actor, now=now)
        signals.incident_updated.send(sender=Incident, incident=incident, update=update, now=now)
        changed()
    return incident


def post_update(
    *,
    actor: User,
    incident_id: int,
    stage: str,
    text_en: str,
    text_ja: str,
    restore_linked: bool = False,
    now: datetime,
) -> Incident:
    """Care adds to an open incident's timeline; ``resolved`` ends it, and with
    ``restore_linked`` marks every linked case still waiting restored (each through the
    case lifecycle, its history saying why)."""
    accounts.require_care(actor)
    _choice(stage, IncidentStage, "stage")
    texts = _texts(text_en, text_ja, "text")
    if restore_linked and stage != IncidentStage.RESOLVED:
        raise invalid(
            "restore_linked",
            f"linked cases are restored when the incident is resolved, not "
            f"at stage {stage!r}; expected stage 'resolved'",
        )
    with transaction.atomic():
        incident = _incident_for_update(incident_id)
        if incident.resolved_at is not None:
            raise Conflict(f"incident {incident.id} is resolved; its timeline is closed")
        incident.stage = stage
        if stage == IncidentStage.RESOLVED:
            incident.resolved_at = now
        incident.save(update_fields=["stage", "resolved_at"])
        update = _append_update(incident, stage, texts, actor=actor, now=now)
        if restore_linked:
            _restore_linked(incident, update, actor=actor, now=now)
        signals.incident_updated.send(sender=Incident, incident=incident, update=update, now=now)
        changed()
    return incident


def _restore_linked(
    incident: Incident, update: IncidentUpdate, *, actor: User, now: datetime
) -> None:
    waiting = Case.objects.filter(
        incident_link__incident=incident, status__in=[s.value for s in _UNRESTORED]
    ).select_related("opened_by__profile")
    for case in waiting.order_by("id"):
        language = getattr(getattr(case.opened_by, "profile", None), "language", "en")
        reason = f"{incident.title_in(language)}: {update.text_in(language)}"
        cases.change_status(
            actor=actor,
            case_id=case.id,
            status=CaseStatus.RESTORED.value,
            reason=reason,
            now=now,
        )


def link_case(*, actor: User, incident_id: int, case_id: int, now: datetime) -> IncidentCase:
    """Care links a case to an incident: its restoration counts from the incident's start
    (SPEC 1.2), which its history and explanation say."""
    accounts.require_care(actor)
    with transaction.atomic():
        incident = _incident_for_update(incident_id)
        case = cases.link_to_platform_incident(
            actor=actor,
            case_id=case_id,
            incident={"incident": str(incident.id), "title": incident.title_en},
            started_at=incident.started_at,
            now=now,
        )
        link = IncidentCase.objects.create(
            incident=incident, case=case, linked_at=now, linked_by=actor
        )
    return link


def _append_update(
    incident: Incident, stage: str, texts: tuple[str, str], *, actor: User, now: datetime
) -> IncidentUpdate:
    """One entry of the incident's timeline, in English and Japanese."""
    return IncidentUpdate.objects.create(
        incident=incident,
        stage=stage,
        text_en=texts[0],
        text_ja=texts[1],
        at=now,
        posted_by=actor,
    )


def _incident_for_update(incident_id: int) -> Incident:
    try:
        return Incident.objects.select_for_update().get(id=incident_id)
    except Incident.DoesNotExist:
        raise NotFound(f"incident {incident_id} not found") from None


def record_post_mortem(*, actor: User, incident_id: int, now: datetime) -> Incident:
    """Care held the incident's post-mortem meeting: it is recorded on every linked case
    whose Service Resolution made one due (and their Incident Reports follow)."""
    return _duty(actor, incident_id, now, EventKind.POST_MORTEM_DUE, EventKind.POST_MORTEM_HELD)


def deliver_incident_report(*, actor: User, incident_id: int, now: datetime) -> Incident:
    """Care delivered the incident's Incident Report to every linked case awaiting it."""
    return _duty(
        actor, incident_id, now, EventKind.INCIDENT_REPORT_DUE, EventKind.INCIDENT_REPORT_DELIVERED
    )


def _duty(actor: User, incident_id: int, now: datetime, due: str, done: str) -> Incident:
    accounts.require_care(actor)
    with transaction.atomic():
        incident = _incident_for_update(incident_id)
        linked = Case.objects.filter(incident_link__incident=incident, events__kind=due)
        waiting = sorted(set(linked.exclude(events__kind=done).values_list("id", flat=True)))
        what = "a post-mortem" if done == EventKind.POST_MORTEM_HELD else "an Incident Report"
        if not waiting:
            raise Conflict(
                f"no case linked to incident {incident.id} has {what} due; expected a linked "
                + (
                    "Critical or High case after its Service Resolution"
                    if done == EventKind.POST_MORTEM_HELD
                    else "case whose post-mortem was held and whose report was asked for"
                )
            )
        for case_id in waiting:
            if done == EventKind.POST_MORTEM_HELD:
                cases.record_post_mortem(actor=actor, case_id=case_id, now=now)
            else:
                cases.deliver_incident_report(actor=actor, case_id=case_id, now=now)
        field = (
            "post_mortem_held_at" if done == EventKind.POST_MORTEM_HELD else ("report_delivered_at")
        )
        setattr(incident, field, now)
        incident.save(update_fields=[field])
    return incident


def visible_incidents(actor: User) -> QuerySet[Incident]:
    """Care: every incident; anyone else: those on their organisations' services."""
    found = Incident.objects.prefetch_related("services", "updates")
    orgs = accounts.visible_org_ids(actor)
    if orgs is None:
        return found
    taken = Subscription.objects.filter(organisation_id__in=orgs).values("service_id")
    return found.filter(services__in=taken).distinct()


def get_incident(*, actor: User, incident_id: int) -> Incident:
    try:
        return visible_incidents(actor).get(id=incident_id)
    except Incident.DoesNotExist:
        raise NotFound(f"incident {incident_id} not found") from None


def linked_cases(*, actor: User, incident: Incident) -> list[Case]:
    """The cases linked to ``incident`` that ``actor`` may see."""
    orgs = accounts.visible_org_ids(actor)
    found = Case.objects.filter(incident_link__incident=incident).order_by("id")
    return list(found if orgs is None else found.filter(organisation_id__in=orgs))
