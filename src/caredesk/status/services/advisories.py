"""Service advisories (seed 004 section 4.1): known issues and their workarounds, which
Care publishes and withdraws and everyone reads; the new-case form shows those of the
service a case would concern before it is opened."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation
from caredesk.core import policy as policies
from caredesk.infra.errors import Conflict, NotFound
from caredesk.status.catalogue import catalogue
from caredesk.status.models import Advisory, Service, Subscription
from caredesk.status.services.values import affected_services, invalid
from caredesk.status.services.version import changed


def publish_advisory(
    *,
    actor: User,
    service: str,
    title_en: str,
    title_ja: str,
    text_en: str,
    text_ja: str,
    now: datetime,
) -> Advisory:
    """Care publishes a known issue of ``service`` and its workaround, in both languages;
    it stays active until withdrawn."""
    accounts.require_care(actor)
    (info,) = affected_services([service])
    fields = {"title_en": title_en, "title_ja": title_ja, "text_en": text_en, "text_ja": text_ja}
    for name, value in fields.items():
        if not value.strip():
            language = "English" if name.endswith("_en") else "Japanese"
            what = name.split("_")[0]
            raise invalid(name, f"the {what} in {language} is empty; write it in both languages")
    with transaction.atomic():
        advisory = Advisory.objects.create(
            service=Service.objects.get(id=info.id),
            published_by=actor,
            published_at=now,
            **{name: value.strip() for name, value in fields.items()},
        )
        changed()
    advisory.refresh_from_db()  # its instants as stored (UTC)
    return advisory


def withdraw_advisory(*, actor: User, advisory_id: int, now: datetime) -> Advisory:
    """Care withdraws an advisory: the issue is fixed or the workaround no longer needed."""
    accounts.require_care(actor)
    with transaction.atomic():
        try:
            advisory = Advisory.objects.select_for_update().get(id=advisory_id)
        except Advisory.DoesNotExist:
            raise NotFound(f"advisory {advisory_id} not found") from None
        if advisory.withdrawn_at is not None:
            raise Conflict(
                f"advisory {advisory.id} was already withdrawn "
                f"({advisory.withdrawn_at.isoformat()})"
            )
        advisory.withdrawn_at = now
        advisory.save(update_fields=["withdrawn_at"])
        changed()
    advisory.refresh_from_db()
    return advisory


def active_advisories(*, service_ids: list[str] | None = None) -> list[Advisory]:
    """The advisories not withdrawn, newest first; of these services when given."""
    found = Advisory.objects.filter(withdrawn_at__isnull=True).select_related("service")
    if service_ids is not None:
        found = found.filter(service_id__in=service_ids)
    return list(found)


def new_case_advisories(
    *, organisation: Organisation, policy: policies.Policy, product: str = ""
) -> list[Advisory]:
    """What an organisation should read before opening a case under ``policy``: the
    advisories of the service its ``product`` is, or, with none chosen, of every service
    sold as one of the policy's products; a policy that names no product (its cases
    concern the service itself) shows those of the organisation's subscribed services."""
    if policy.products:
        sold = [i for i in catalogue() if i.policy == policy.id and i.product is not None]
        ids = [i.id for i in sold if not product or i.product == product]
    else:
        taken = Subscription.objects.filter(organisation=organisation)
        ids = list(taken.values_list("service_id", flat=True))
    return active_advisories(service_ids=ids)
