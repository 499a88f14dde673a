"""Repairs shared by the readers whose records are already text (MARCXML, MARC-in-JSON)."""

from __future__ import annotations

# A leader for a record that came without one: lengths are filled in when it is written.
DEFAULT_LEADER = "00000nam a2200000 i 4500"


def clean_leader(leader: str | None, repairs: list[str]) -> str:
    if leader is None:
        repairs.append("leader: missing, a default leader used")
        return DEFAULT_LEADER
    if len(leader) != 24:
        repairs.append(f"leader: {len(leader)} characters, not 24")
        leader = leader.ljust(24)[:24]
    return leader


def clean_tag(tag: str | None, repairs: list[str]) -> str:
    if tag is None or not tag.strip():
        repairs.append("tag: missing, read as '???'")
        return "???"
    if len(tag) != 3:
        fixed = tag.strip().zfill(3)[:3]
        repairs.append(f"tag: {tag!r} read as {fixed!r}")
        return fixed
    return tag


def clean_indicator(value: str | None, tag: str, repairs: list[str]) -> str:
    if value is None:
        return " "
    if len(value) != 1:
        fixed = (value + " ")[0]
        repairs.append(f"indicators: field {tag} indicator {value!r} read as {fixed!r}")
        return fixed
    return value
