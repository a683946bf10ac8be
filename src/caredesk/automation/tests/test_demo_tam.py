"""The demo's customers and resellers have a technical account manager (issue 13, point
17), so that a breach's escalation to the TAM can be seen in it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from caredesk import demo
from caredesk.accounts.models import Organisation, OrgKind
from caredesk.automation import notify
from caredesk.cases.models import EventKind


@pytest.mark.django_db
def test_every_demo_customer_and_reseller_has_the_tam() -> None:
    loaded = demo.load(datetime(2026, 11, 23, 15, 0, tzinfo=UTC), case_count=0)
    tam = loaded.people["tam"].user
    assert tam.email == demo.TAM_EMAIL
    served = Organisation.objects.exclude(kind=OrgKind.VENDOR)
    assert served.count() == len(demo.ORGANISATIONS) - 1
    assert set(served.values_list("tam_id", flat=True)) == {tam.id}
    assert Organisation.objects.get(kind=OrgKind.VENDOR).tam is None
    assert notify.TAM in notify.AUDIENCE[EventKind.SLA_BREACHED]
