"""Hand-written reads build the same instances as the ORM."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_init

from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.infra.rows import Columns, fetch
from caredesk.testing import World, open_reseller_case

CASE = Columns(Case, "c")
SOME = Columns(Case, "c", only=("number", "organisation"))


def read(columns: Columns[Case], case_id: int) -> Case:
    (row,) = fetch(f"SELECT {columns.sql} FROM {columns.table} WHERE c.id = %s", [case_id])
    built = columns.build(row)
    assert built is not None
    return built


def test_a_built_instance_is_the_one_the_orm_reads(world: World) -> None:
    case_id = open_reseller_case(world, START).id
    orm = Case.objects.get(id=case_id)
    built = read(CASE, case_id)
    assert type(built) is Case
    assert (built._state.adding, built._state.db) == (False, "default")
    for f in Case._meta.concrete_fields:
        assert getattr(built, f.attname) == getattr(orm, f.attname), f.name
    assert built.organisation == world.reseller
    assert built.get_deferred_fields() == set()
    # Unselected fields load when read, as with ``only()``.
    some = read(SOME, case_id)
    selected = {"id", "number", "organisation_id"}
    assert some.get_deferred_fields() == {f.attname for f in Case._meta.concrete_fields} - selected
    assert some.subject == "Agents cannot go on queue"
    assert some.organisation_id == world.reseller.id
    # A changed foreign key drops the cached instance, as after the ORM's __init__.
    some.organisation = world.reseller
    some.organisation_id = world.account.id
    assert some.organisation == world.account


def test_listeners_of_model_creation_are_told_of_built_instances(world: World) -> None:
    case_id = open_reseller_case(world, START).id
    told: list[Any] = []

    def listener(sender: Any, instance: Any, **_: Any) -> None:
        told.append(instance)

    post_init.connect(listener, sender=Case)
    try:
        built = read(CASE, case_id)
    finally:
        post_init.disconnect(listener, sender=Case)
    assert told == [built]
    assert read(CASE, case_id).number == built.number
    assert len(told) == 1
