"""``caredesk`` administration: policies, demo data, people and an organisation's rules."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from caredesk.cli.common import UserError, iso_utc, migrate_database, setup_django
from caredesk.core import policy as policies
from caredesk.core.policy import text_in


def list_policies(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The shipped support policies and their plans."""
    rows: list[dict[str, Any]] = [
        {
            "policy": p.id,
            "version": p.version,
            "title": p.title,
            "effective": p.effective.isoformat(),
            "plans": {plan.id: text_in(plan.name, "en") for plan in p.plans.values()},
        }
        for p in policies.list_policies()
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(
            f"{row['policy']} v{row['version']} (effective {row['effective']}): {row['title']}"
        )
        for plan_id, name in row["plans"].items():
            typer.echo(f"  {plan_id:<16} {name}")


def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when demo data is already there.")
    ] = False,
) -> None:
    """Load the demo data set (organisations, people, 200 cases with history)."""
    setup_django()
    migrate_database()
    from caredesk import demo as demo_data
    from caredesk.infra.clock import CLOCK

    if demo_data.loaded():
        if if_empty:
            typer.echo("demo data already loaded")
            return
        raise UserError("demo data is already loaded; use an empty database")
    loaded = demo_data.load(CLOCK.now())
    typer.echo(
        f"loaded {loaded.cases} demo cases; every demo person's password is "
        f"{demo_data.DEMO_PASSWORD!r}"
    )
    for name, profile in loaded.people.items():
        typer.echo(f"  {name:<18} {profile.user.email:<26} token {loaded.tokens[name]}")


def createuser(
    email: Annotated[str, typer.Option(help="E-mail address, also the login.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    organisation: Annotated[str, typer.Option("--org", help="Organisation short name.")],
    role: Annotated[str, typer.Option(help="contact, engineer, manager or admin.")] = "contact",
    designated: Annotated[
        bool, typer.Option(help="Record the designated-contact training as done.")
    ] = False,
    password: Annotated[str | None, typer.Option(help="Password for the pages.")] = None,
) -> None:
    """Create a person and print an API token for them (shown once)."""
    setup_django()
    migrate_database()
    from caredesk.accounts import services as accounts
    from caredesk.infra.clock import CLOCK

    org = accounts.organisation_named(organisation)
    now = CLOCK.now()
    person = accounts.create_person(
        actor=None,
        email=email,
        name=name,
        organisation=org,
        role=role,
        password=password,
        now=now,
    )
    if designated:
        care = accounts.some_care_person()
        accounts.complete_training(actor=care.user, person=person, now=now)
    token = accounts.issue_token(user=person.user, now=now)
    typer.echo(f"created {person.user.email} ({role}, {org.name}); API token: {token}")


def rules(
    organisation: Annotated[str, typer.Argument(help="Organisation short name.")],
    timezone: Annotated[str | None, typer.Option(help="New IANA zone.")] = None,
    country: Annotated[str | None, typer.Option(help="New ISO 3166 country (holidays).")] = None,
    subdivision: Annotated[str | None, typer.Option(help="New subdivision (holidays).")] = None,
    plan: Annotated[str | None, typer.Option(help="New plan.")] = None,
    policy: Annotated[str | None, typer.Option(help="New support policy.")] = None,
    hours: Annotated[
        str | None,
        typer.Option(
            help="Own working hours, e.g. 'Mon-Fri 09:00-12:00, 13:00-18:00'; "
            "'' for the policy's business hours."
        ),
    ] = None,
    apply: Annotated[
        bool, typer.Option(help="Apply (default: only show the deadlines that would move).")
    ] = False,
    by: Annotated[str | None, typer.Option(help="With --apply: the Care manager's e-mail.")] = None,
    reason: Annotated[str, typer.Option(help="With --apply: why (goes into each case).")] = "",
) -> None:
    """Change an organisation's calendar (zone, holidays, working hours), plan or policy and
    re-apply it to its open cases (time used stays used); without --apply, a preview that
    writes nothing."""
    setup_django()
    from caredesk.accounts import services as accounts
    from caredesk.cases import services
    from caredesk.infra.clock import CLOCK

    org = accounts.organisation_named(organisation)
    changes = {
        "timezone": timezone,
        "country": country,
        "subdivision": subdivision,
        "plan": plan,
        "policy": policy,
        "hours": hours,
    }
    now = CLOCK.now()
    if apply:
        if not by:
            raise UserError("--apply needs --by, the e-mail of the Care manager applying it")
        actor = accounts.user_with_email(by)
        change = services.apply_rules(
            actor=actor, organisation_id=org.id, changes=changes, reason=reason, now=now
        )
    else:
        care = accounts.some_care_person()
        change = services.preview_rules(
            actor=care.user, organisation_id=org.id, changes=changes, now=now
        )
    # Hours are quoted: their own commas would read as the list's.
    old = {**change.before, "hours": repr(services.hours_shown(change.before))}
    new = {**change.after, "hours": repr(services.hours_shown(change.after))}
    what = ", ".join(f"{k} {old.get(k)} -> {new[k]}" for k in new if old.get(k) != new[k])
    typer.echo(f"{org.short_name}: {what or 'no change to its rules'}")
    typer.echo(f"{len(change.cases)} open cases count under other rules")
    for move in change.moves:
        before = iso_utc(move.due_before) if move.due_before else "none"
        after = iso_utc(move.due_after) if move.due_after else "none"
        typer.echo(f"  {move.number} {move.metric}: {before} -> {after} ({move.state_after})")
    typer.echo("applied" if change.applied else "preview only: nothing written (--apply)")
