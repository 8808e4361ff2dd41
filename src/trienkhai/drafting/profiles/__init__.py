"""Layout profiles as data: one TOML file per profile, read once.

A profile may name another in ``extends``; its tables are merged over that profile's,
key by key (so ``party-2026`` restates only what Hướng dẫn 05-HD/VPTW changes).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Style:
    """How one element is printed."""

    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Profile:
    """A loaded profile. ``data`` is the merged TOML; the properties name what code reads."""

    name: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.data["label"])

    @property
    def font(self) -> str:
        return str(self.data["font"])

    @property
    def page(self) -> dict[str, float]:
        return self.data["page"]

    @property
    def header(self) -> dict[str, Any]:
        return self.data["header"]

    @property
    def body(self) -> dict[str, float]:
        return self.data["body"]

    def style(self, element: str) -> Style:
        return Style(**self.data["style"][element])

    def prefix(self, kind: str) -> str:
        """The printed authority prefix ("T/M", "KT."); ValueError if the profile has none."""
        prefixes = self.data["signature"]["prefixes"]
        if kind not in prefixes:
            raise ValueError(
                f"Hình thức ký {kind!r} không có trong thể thức {self.name} / "
                f"authority {kind!r} is not used by profile {self.name} "
                f"(dùng / use: {', '.join(prefixes)})"
            )
        return str(prefixes[kind])

    def number_line(self, number: int | None, code: str) -> str:
        """ "Số 04-BC/BTGHU", "Số: 12/BC-UBND"; a blank number for a draft."""
        if number is None:
            return str(self.header["number_blank"]).format(code=code)
        return str(self.header["number_format"]).format(number=f"{number:02d}", code=code)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def names() -> list[str]:
    """The profiles shipped: "party", "party-2026", "state"."""
    return sorted(path.stem for path in HERE.glob("*.toml"))


@functools.cache
def load(name: str) -> Profile:
    """The profile called ``name``; ValueError (bilingual) if there is none."""
    path = HERE / f"{name}.toml"
    if not path.is_file():
        raise ValueError(
            f"Không có thể thức {name!r} / no layout profile {name!r} "
            f"(có / known: {', '.join(names())})"
        )
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    parent = data.pop("extends", None)
    if parent:
        data = _merge(load(parent).data, data)
    return Profile(name=name, data=data)
