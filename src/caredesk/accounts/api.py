"""Organisations, people and designated-contact onboarding over HTTP; handlers stay thin."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from caredesk.accounts import services
from caredesk.accounts.models import Organisation, Profile, VendorHoliday
from caredesk.accounts.services import caller
from caredesk.core import policy as policies
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import NotFound
from caredesk.infra.schemas import Strict

router = Router(tags=["organisations"])


class OrganisationIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: str = Field(description="vendor, reseller or customer")
    policy: str
    plan: str
    country: str = Field(min_length=2, max_length=2)
    timezone: str
    parent_id: int | None = None
    subdivision: str = ""
    licences: list[str] = []
    region: str = ""
    tam_id: int | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    policy: str
    plan: str
    licences: list[str]
    country: str
    subdivision: str
    timezone: str
    hours: dict[str, list[str]] = Field(
        description="Own working hours by weekday ('mon'..'sun'); empty: the policy's"
    )
    region: str
    tam_id: int | None


class ShortOut(Schema):
    organisation: OrganisationOut
    designated_contacts: int
    minimum: int


class PersonIn(Strict):
    email: str = Field(min_length=3, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    role: str = "contact"
    phone: str = ""
    language: str = "en"
    timezone: str | None = None


class PersonOut(Schema):
    id: int
    user_id: int
    email: str
    name: str
    role: str
    organisation_id: int
    designated: bool
    language: str
    timezone: str
    training_completed_at: datetime | None
    credentials_due_at: datetime | None
    credentials_issued_at: datetime | None

    @staticmethod
    def resolve_email(obj: Profile) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj: Profile) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_designated(obj: Profile) -> bool:
        return obj.is_designated


@router.get("/me", response=PersonOut, summary="Who the caller is")
def me(request: HttpRequest) -> Profile:
    return services.profile_of(caller(request))


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations in scope")
def list_organisations(request: HttpRequest) -> list[Organisation]:
    return list(services.visible_organisations(caller(request)))


@router.post(
    "/organisations",
    response={201: OrganisationOut},
    summary="Create an organisation (Care managers)",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    org = services.create_organisation(actor=caller(request), now=CLOCK.now(), **payload.dict())
    return Status(201, org)


@router.get(
    "/organisations/short-of-designated-contacts",
    response=list[ShortOut],
    summary="Resellers with fewer designated contacts than their policy asks (two)",
)
def short_of_designated(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {"organisation": org, "designated_contacts": count, "minimum": minimum}
        for org, count, minimum in services.short_of_designated_contacts(caller(request))
    ]


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, org_id: int) -> Organisation:
    return services.get_organisation(caller(request), org_id)


@router.get("/organisations/{org_id}/contacts", response=list[PersonOut])
def list_contacts(request: HttpRequest, org_id: int) -> list[Profile]:
    org = services.get_organisation(caller(request), org_id)
    return list(org.people.select_related("user").order_by("id"))


@router.post("/organisations/{org_id}/contacts", response={201: PersonOut})
def add_contact(request: HttpRequest, org_id: int, payload: PersonIn) -> Status[Any]:
    org = services.get_organisation(caller(request), org_id)
    person = services.create_person(
        actor=caller(request), organisation=org, now=CLOCK.now(), **payload.dict()
    )
    return Status(201, person)


@router.post(
    "/contacts/{person_id}/training-completed",
    response=PersonOut,
    summary="Record the roles-and-responsibilities training (Care)",
)
def training_completed(request: HttpRequest, person_id: int) -> Profile:
    person = services.find_person(caller(request), person_id)
    return services.complete_training(actor=caller(request), person=person, now=CLOCK.now())


@router.post(
    "/contacts/{person_id}/credentials-issued",
    response=PersonOut,
    summary="Record that credentials were issued (Care)",
)
def credentials_issued(request: HttpRequest, person_id: int) -> Profile:
    person = services.find_person(caller(request), person_id)
    return services.issue_credentials(actor=caller(request), person=person, now=CLOCK.now())


# -- the shipped support policies (read-only: the core's data) ----------------------------

policies_router = Router(tags=["policies"])


class ProductOut(Schema):
    id: str = Field(description="what a case gives as its product")
    name: dict[str, str] = Field(description="the product's name by language (en, ja)")


def _products(policy: policies.Policy) -> list[dict[str, Any]]:
    return [{"id": pid, "name": dict(name)} for pid, name in policy.products.items()]


def _policy(policy_id: str) -> policies.Policy:
    try:
        return policies.load(policy_id)
    except ValueError as exc:
        raise NotFound(str(exc)) from None


def _describe(policy: policies.Policy) -> dict[str, Any]:
    return {
        "id": policy.id,
        "version": policy.version,
        "title": policy.title,
        "effective": policy.effective.isoformat(),
        "severities": {
            str(s.level): {"name": dict(s.name), "definition": dict(s.definition)}
            for s in policy.severities.values()
        },
        "plans": {
            plan.id: {
                "name": dict(plan.name),
                "channels": {str(k): sorted(c.value for c in v) for k, v in plan.channels.items()},
                "targets": {
                    case_type.value: {
                        str(sev): {
                            m: (str(d) if (d := row.get(policies.Metric(m))) else None)
                            for m in ("response", "restoration", "resolution")
                        }
                        for sev, row in rows.items()
                    }
                    for case_type, rows in plan.targets.items()
                },
            }
            for plan in policy.plans.values()
        },
        "intake_fields": [
            {
                "key": f.key,
                "label": dict(f.label),
                "required": f.required,
                "choices": {answer: dict(label) for answer, label in f.choices.items()},
            }
            for f in policy.intake.fields
        ],
        "products": _products(policy),
    }


@policies_router.get("", summary="List the shipped support policies")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_describe(p) for p in policies.list_policies()]


@policies_router.get("/{policy_id}", summary="One policy (its newest version)")
def get_policy(request: HttpRequest, policy_id: str) -> dict[str, Any]:
    return _describe(_policy(policy_id))


@policies_router.get(
    "/{policy_id}/products",
    response=list[ProductOut],
    summary="The products a case under the policy may concern (its product, or none)",
)
def policy_products(request: HttpRequest, policy_id: str) -> list[dict[str, Any]]:
    return _products(_policy(policy_id))


# -- vendor holidays (Care managers) --------------------------------------------------------


class VendorHolidayIn(Strict):
    day: str = Field(max_length=10, description="The local date, YYYY-MM-DD")
    name: str = Field(max_length=100)
    open_from: str = Field("", max_length=5, description="Opens late at HH:MM; blank: as usual")
    open_until: str = Field(
        "", max_length=5, description="Closes early at HH:MM; both blank: closed all day"
    )


class VendorHolidayOut(Schema):
    day: date
    name: str
    open_from: str | None
    open_until: str | None
    declared_at: datetime

    @staticmethod
    def resolve_open_from(obj: VendorHoliday) -> str | None:
        return obj.open_from.strftime("%H:%M") if obj.open_from else None

    @staticmethod
    def resolve_open_until(obj: VendorHoliday) -> str | None:
        return obj.open_until.strftime("%H:%M") if obj.open_until else None


@router.get(
    "/vendor/holidays",
    response=list[VendorHolidayOut],
    tags=["vendor holidays"],
    summary="Care managers: the days declared vendor holidays",
)
def list_vendor_holidays(request: HttpRequest) -> list[VendorHoliday]:
    return services.vendor_holidays(actor=caller(request))


@router.post(
    "/vendor/holidays",
    response={201: VendorHolidayOut},
    tags=["vendor holidays"],
    summary=(
        "Care managers: declare a vendor holiday, closed all day or part of it (the "
        "management-attention mailbox and the channels Care staffs in business hours skip it)"
    ),
)
def declare_vendor_holiday(request: HttpRequest, payload: VendorHolidayIn) -> Status[Any]:
    holiday = services.declare_vendor_holiday(
        actor=caller(request), now=CLOCK.now(), **payload.dict()
    )
    return Status(201, holiday)


@router.delete(
    "/vendor/holidays/{day}",
    response={204: None},
    tags=["vendor holidays"],
    summary="Care managers: remove a declared vendor holiday",
)
def remove_vendor_holiday(request: HttpRequest, day: str) -> Status[None]:
    services.remove_vendor_holiday(actor=caller(request), day=day)
    return Status(204, None)
