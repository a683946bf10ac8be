"""``caredesk maintenance at`` and ``windows``: the documents scripts read, and refusals as
one line with exit status 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from caredesk.status.models import Service
from caredesk.testing import organisation, run_cli

NOW = datetime(2026, 3, 1, tzinfo=UTC)
BACKWARDS = ("--from", "2026-03-09T00:00Z", "--to", "2026-03-02T00:00Z")


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run_cli(capsys, "maintenance", *args, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def test_at_inside_a_premier_window(capsys: pytest.CaptureFixture[str]) -> None:
    # Tue 3 Mar 2026 22:30 EST: inside Tuesday's 22:00-05:00 window.
    document = cli_json(
        capsys, "at", "--service", "premier-edition", "--at", "2026-03-03T22:30:00-05:00"
    )
    assert document == {
        "service": "premier-edition",
        "at": "2026-03-04T03:30:00Z",
        "in_maintenance": True,
        "window": {"start": "2026-03-04T03:00:00Z", "end": "2026-03-04T10:00:00Z"},
    }


def test_at_just_after_a_window(capsys: pytest.CaptureFixture[str]) -> None:
    # Wed 4 Mar 2026 05:00 EST: Tuesday's window has just ended.
    document = cli_json(capsys, "at", "--service", "premier-edition", "--at", "2026-03-04T10:00Z")
    assert document == {
        "service": "premier-edition",
        "at": "2026-03-04T10:00:00Z",
        "in_maintenance": False,
        "window": None,
    }


def test_at_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "maintenance", "at", "--service", "outbound-engagement", "--at", "2026-03-08T08:59Z"
    )
    # Sun 8 Mar 00:00 EST to 05:00 EDT: four real hours on the night clocks go forward.
    assert code == 0
    assert out == (
        "outbound-engagement: in planned maintenance 2026-03-08T00:00:00-05:00 - "
        "2026-03-08T05:00:00-04:00  (2026-03-08T05:00:00Z - 2026-03-08T09:00:00Z)\n"
    )


def test_windows_of_a_local_time_service_for_tokyo(capsys: pytest.CaptureFixture[str]) -> None:
    document = cli_json(
        capsys,
        "windows",
        "--service",
        "pureengage-cloud",
        "--from",
        "2026-03-09T00:00:00Z",
        "--to",
        "2026-03-13T00:00:00Z",
        "--tz",
        "Asia/Tokyo",
    )
    assert document == [
        {  # Tue 10 Mar 00:00-06:00 JST
            "start": "2026-03-09T15:00:00Z",
            "end": "2026-03-09T21:00:00Z",
            "start_local": "2026-03-10T00:00:00+09:00",
            "end_local": "2026-03-10T06:00:00+09:00",
        },
        {  # Thu 12 Mar 00:00-06:00 JST
            "start": "2026-03-11T15:00:00Z",
            "end": "2026-03-11T21:00:00Z",
            "start_local": "2026-03-12T00:00:00+09:00",
            "end_local": "2026-03-12T06:00:00+09:00",
        },
    ]


def test_windows_in_the_viewers_zone(capsys: pytest.CaptureFixture[str]) -> None:
    # Premier's Tue 3 Mar 22:00-05:00 EST window, read in London (GMT).
    document = cli_json(
        capsys,
        "windows",
        "--service",
        "premier-edition",
        "--from",
        "2026-03-04T04:00Z",
        "--to",
        "2026-03-04T05:00Z",
        "--tz",
        "Europe/London",
    )
    assert document == [
        {
            "start": "2026-03-04T03:00:00Z",
            "end": "2026-03-04T10:00:00Z",
            "start_local": "2026-03-04T03:00:00+00:00",
            "end_local": "2026-03-04T10:00:00+00:00",
        }
    ]


def test_purecloud_has_no_planned_windows(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--service", "purecloud", "--from", "2026-03-01T00:00Z", "--to", "2026-04-01T00:00Z")
    assert cli_json(capsys, "windows", *args) == []


@pytest.mark.django_db
def test_an_organisations_zone(capsys: pytest.CaptureFixture[str]) -> None:
    organisation(NOW, "globex", timezone="Europe/London", country="GB")
    # Tue 31 Mar 2026 00:00-06:00 BST for a London customer.
    document = cli_json(
        capsys,
        "at",
        "--service",
        "pureengage-cloud",
        "--at",
        "2026-03-30T23:00Z",
        "--org",
        "globex",
    )
    assert document["window"] == {"start": "2026-03-30T23:00:00Z", "end": "2026-03-31T05:00:00Z"}
    assert Service.objects.count() == 5  # read, nothing written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("at", "--service", "nope", "--at", "2026-03-03T00:00Z"),
            "unknown service 'nope'; expected one of: pureengage-cloud, premier-edition",
        ),
        (
            ("at", "--service", "pureengage-cloud", "--at", "2026-03-03T00:00Z"),
            "service 'pureengage-cloud' has its maintenance windows in the customer's local "
            "time; give --tz ZONE or --org ORG",
        ),
        (
            ("at", "--service", "premier-edition", "--at", "2026-03-03T00:00"),
            "--at time '2026-03-03T00:00' has no UTC offset",
        ),
        (
            ("at", "--service", "premier-edition", "--at", "next tuesday"),
            "malformed --at time 'next tuesday'; expected ISO 8601",
        ),
        (
            ("at", "--service", "pureengage-cloud", "--at", "2026-03-03T00:00Z", "--tz", "Tokio"),
            "unknown time zone 'Tokio'; expected an IANA zone name",
        ),
        (
            ("windows", "--service", "premier-edition", *BACKWARDS),
            "--to '2026-03-02T00:00Z' is before --from '2026-03-09T00:00Z'; expected a later --to",
        ),
        (
            ("windows", "--service", "premier-edition", "--from", "2026-03-09T00:00Z"),
            "Missing option '--to'",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run_cli(capsys, "maintenance", *args)
    assert (code, out) == (2, "")
    assert err.startswith("caredesk: error: ")
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.django_db
def test_an_unknown_organisation(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys,
        "maintenance",
        "at",
        "--service",
        "premier-edition",
        "--at",
        "2026-03-03T00:00Z",
        "--org",
        "nobody",
    )
    assert (code, err) == (2, "caredesk: error: unknown organisation 'nobody'\n")
