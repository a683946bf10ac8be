"""The service catalogue: the five services, their names, and seed 004's Table 2."""

from __future__ import annotations

from typing import Any

import pytest

from caredesk.core.policy import PolicyError
from caredesk.status.catalogue import catalogue, parse_catalogue, service
from caredesk.status.models import Service

NY = "America/New_York"


def test_the_five_services_in_order() -> None:
    assert [s.id for s in catalogue()] == [
        "pureengage-cloud",
        "premier-edition",
        "outbound-engagement",
        "social-analytics",
        "purecloud",
    ]
    for info in catalogue():
        assert set(info.name) == {"en", "ja"}, info.id
    assert service("premier-edition").name_in("ja") == "Premier Edition (セルフサービスを含む)"
    assert service("purecloud").name_in("en") == "PureCloud"


@pytest.mark.parametrize(
    ("service_id", "zone", "hours"),
    [
        # Table 2 as printed: "Tuesday & Thursday/Sunday 12:00 am - 3:00 am/12:00 am - 5:00 am"
        (
            "outbound-engagement",
            NY,
            {"tue": ["00:00-03:00"], "thu": ["00:00-03:00"], "sun": ["00:00-05:00"]},
        ),
        # "Tuesday, Wednesday, Thursday 10:00 pm - 5:00 am (EST)"
        ("premier-edition", NY, {d: ["22:00-05:00"] for d in ("tue", "wed", "thu")}),
        # "Tuesday & Thursday 12:00 am - 6:00 am (Local time)"
        ("pureengage-cloud", None, {"tue": ["00:00-06:00"], "thu": ["00:00-06:00"]}),
        # "Tuesday - Thursday 10:00 pm - 5:00 am (EST)"
        ("social-analytics", NY, {d: ["22:00-05:00"] for d in ("tue", "wed", "thu")}),
    ],
)
def test_table_2(service_id: str, zone: str | None, hours: dict[str, list[str]]) -> None:
    rule = service(service_id).rule
    assert rule is not None
    assert (rule.zone, rule.hours) == (zone, hours)


def test_purecloud_has_no_planned_windows() -> None:
    assert service("purecloud").rule is None


def test_unknown_service_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown service 'genesys'; expected one of: pureengage"):
        service("genesys")


@pytest.mark.django_db
def test_the_service_table_mirrors_the_catalogue() -> None:
    rows = [(s.id, s.name_en, s.name_ja) for s in Service.objects.all()]
    assert rows == [(s.id, s.name_in("en"), s.name_in("ja")) for s in catalogue()]


def _doc(**service: Any) -> dict[str, Any]:
    return {"schema": 1, "services": {"x": service}}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"schema": 2, "services": {}}, "schema: unsupported schema; expected 1"),
        (_doc(name={"en": "X"}), r"services.x.name: needs a name in ja"),
        (_doc(name={"en": "X", "ja": "X"}, colour="red"), "services.x.colour: unknown key"),
        (
            _doc(policy="genesys-care-cloud-reseller", product="nothing"),
            "services.x.product: unknown product 'nothing'",
        ),
        (
            _doc(policy="no-such-policy", product="x"),
            "services.x.policy: unknown policy 'no-such-policy'",
        ),
        (
            _doc(policy="genesys-care-cloud-reseller", product="premier-edition", name="P"),
            "services.x.name: comes from the product 'premier-edition'",
        ),
        (
            _doc(name={"en": "X", "ja": "X"}, zone="Nowhere/Land", windows={"tue": "00:00-01:00"}),
            "services.x.windows: unknown time zone 'Nowhere/Land'",
        ),
        (
            _doc(name={"en": "X", "ja": "X"}, zone="UTC", windows={"tue": "00:00-25:00"}),
            "services.x.windows: malformed working interval '00:00-25:00'",
        ),
        ({"schema": 1, "services": {}}, "services: names no service"),
    ],
)
def test_a_bad_catalogue_is_refused_naming_the_key(document: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        parse_catalogue(document)


def test_a_service_of_its_own_with_windows() -> None:
    (info,) = parse_catalogue(
        _doc(name={"en": "X", "ja": "エックス"}, zone="customer", windows={"sat": "23:00-01:00"})
    )
    assert info.rule is not None
    assert (info.rule.is_local, info.rule.hours) == (True, {"sat": ["23:00-01:00"]})
