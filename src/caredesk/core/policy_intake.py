"""Reading a policy's texts and its intake section: the fields a case is opened with,
their answers, and the fields some case types add.

Every problem is a ``PolicyError`` naming the file and the key.
"""

from __future__ import annotations

from caredesk.core.policy_data import (
    LANGUAGES,
    CaseType,
    CaseTypeIntake,
    Intake,
    IntakeField,
    Text,
    _enum,
)
from caredesk.core.tomlread import Table


def parse_text(t: Table, key: str) -> Text:
    raw = t.get(key, (str, dict))
    if isinstance(raw, str):
        return {"en": raw}
    for lang, value in raw.items():
        if lang not in LANGUAGES or not isinstance(value, str):
            raise t.error(key, f"expected texts keyed by {', '.join(LANGUAGES)}, got {lang!r}")
    if "en" not in raw:
        raise t.error(key, "needs an English ('en') text")
    return dict(raw)


def _intake_fields(it: Table, taken: frozenset[str] = frozenset()) -> tuple[IntakeField, ...]:
    """``[[fields]]`` of an intake table; ``taken``: keys already declared elsewhere."""
    fields = []
    for ft in it.tables("fields"):
        key, label, required = ft.get("key", str), parse_text(ft, "label"), ft.get("required", bool)
        choices, long = _choices(ft), ft.get("long", bool, False)
        if choices and long:
            raise ft.error("long", "a field with choices is answered by choosing, not at length")
        fields.append(IntakeField(key, label, required, choices, long))
        ft.done()
    keys = [f.key for f in fields] + list(taken)
    if len(set(keys)) != len(keys):
        raise it.error("fields", "an intake field key is declared twice")
    return tuple(fields)


def parse_intake(it: Table) -> Intake:
    fields = _intake_fields(it)
    intake = Intake(
        fields,
        it.get("severity1_by_phone_raise", bool),
        it.get("duplicate_check", bool),
        case_types=_case_type_intake(it, frozenset(f.key for f in fields)),
        checklist=_checklist(it),
        phone_line=parse_text(it, "phone_line") if it.has("phone_line") else None,
    )
    it.done()
    return intake


def _checklist(it: Table) -> tuple[Text, ...]:
    """``checklist``: what the opener does before contacting Care, one text per item."""
    items = []
    for number, raw in enumerate(it.get("checklist", list, [])):
        key = f"checklist[{number}]"
        items.append(parse_text(Table({key: raw}, it.where, it.source), key))
    return tuple(items)


def _choices(ft: Table) -> dict[str, Text]:
    """An intake field's answers (``choices.<answer> = <label>``); none: free text."""
    ct = ft.table("choices", optional=True)
    if ct is None:
        return {}
    choices = {answer: parse_text(ct, answer) for answer in ct.names()}
    if not choices:
        raise ft.error("choices", "list at least one answer, or leave choices out")
    ct.done()
    return choices


def _case_type_intake(it: Table, taken: frozenset[str]) -> dict[str, CaseTypeIntake]:
    """``[[intake.by_case_type]]``: the fields some case types add to the policy's own."""
    found: dict[str, CaseTypeIntake] = {}
    for bt in it.tables("by_case_type"):
        fields = _intake_fields(bt, taken)
        original = bt.get("original_case_field", str, None)
        if original is not None and original not in {f.key for f in fields}:
            raise bt.error("original_case_field", f"{original!r} is not one of these fields")
        for name in bt.get("case_types", list):
            case_type = bt.convert("case_types", name, _enum(CaseType, "case type")).value
            if case_type in found:
                raise bt.error("case_types", f"{case_type!r} is given intake fields twice")
            found[case_type] = CaseTypeIntake(fields, original)
        bt.done()
    return found
