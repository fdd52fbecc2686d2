"""`@record` behaves as `@dataclass(frozen=True, slots=True)`: each shape of class deploybook
uses is made both ways from the same body, and the two are held to the same behaviour."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from deploybook.records import record


def both(body: Callable[[], type]) -> tuple[type, type]:
    """The class `body()` returns, made by `dataclass` and by `record`, each kept in this module
    under its own name so that pickle finds it."""
    made = []
    for kind, decorate in (("dataclass", dataclass(frozen=True, slots=True)), ("record", record)):
        cls = body()
        cls.__name__ = cls.__qualname__ = f"{cls.__name__}_{kind}"
        made.append(globals().setdefault(cls.__name__, decorate(cls)))
    return made[0], made[1]


def plain() -> type:
    class Plain:
        """Two fields, one defaulted."""

        name: str
        count: int = 3

    return Plain


def factories() -> type:
    class Factories:
        items: list[int] = field(default_factory=list)
        table: dict[str, str] = field(default_factory=dict)

    return Factories


def flags() -> type:
    class Flags:
        shown: str
        hidden: str = field(default="secret", repr=False)
        ignored: int = field(default=0, compare=False)
        unhashed: tuple[int, ...] = field(default=(), hash=False)
        fixed: str = field(default="set", init=False)

    return Flags


def empty() -> type:
    class Empty:
        pass

    return Empty


SHAPES = {"plain": plain, "factories": factories, "flags": flags, "empty": empty}


def _arguments(shape: str) -> list[dict[str, Any]]:
    return {
        "plain": [{"name": "a"}, {"name": "a", "count": 4}],
        "factories": [{}, {"items": [1, 2]}],
        "flags": [{"shown": "x"}, {"shown": "x", "hidden": "y", "ignored": 9, "unhashed": (1,)}],
        "empty": [{}],
    }[shape]


def _hash(instance: object) -> int | None:
    try:
        return hash(instance)
    except TypeError:
        return None


@pytest.mark.parametrize("shape", SHAPES)
def test_the_same_as_a_frozen_slotted_dataclass(shape: str) -> None:
    stdlib, ours = both(SHAPES[shape])
    assert dataclasses.is_dataclass(ours)
    assert [(f.name, f.default, f.init) for f in dataclasses.fields(ours)] == [
        (f.name, f.default, f.init) for f in dataclasses.fields(stdlib)
    ]
    assert str(inspect.signature(ours)) == str(inspect.signature(stdlib))
    assert ours.__slots__ == stdlib.__slots__
    assert ours.__match_args__ == stdlib.__match_args__
    for arguments in _arguments(shape):
        theirs, mine = stdlib(**arguments), ours(**arguments)
        assert repr(mine).removeprefix(ours.__qualname__) == repr(theirs).removeprefix(stdlib.__qualname__)
        assert mine == ours(**arguments)
        assert _hash(mine) == _hash(ours(**arguments))
        assert (_hash(mine) is None) == (_hash(theirs) is None)  # a list field: unhashable both ways
        assert mine != theirs  # another class, as dataclass has it
        for name in [f.name for f in dataclasses.fields(ours)]:
            assert getattr(mine, name) == getattr(theirs, name)
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(mine, name, 1)
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(mine, name)
        for again in (pickle.loads(pickle.dumps(mine)), copy.copy(mine), copy.deepcopy(mine)):
            assert again == mine
            assert type(again) is ours
        assert dataclasses.replace(mine) == mine
        assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
        with pytest.raises(AttributeError):
            mine.not_a_field = 1  # type: ignore[attr-defined]


def test_comparison_and_hash_follow_the_field_flags() -> None:
    _, flagged = both(flags)
    one, other = flagged(shown="x", ignored=1, unhashed=(1,)), flagged(shown="x", ignored=2, unhashed=(1,))
    assert one == other  # `ignored` is compare=False
    assert one != flagged(shown="x", unhashed=(2,))  # `unhashed` is compared, only not hashed
    assert hash(flagged(shown="x", unhashed=(1,))) == hash(flagged(shown="x", unhashed=(2,)))
    assert "secret" not in repr(one)


def test_each_instance_gets_its_own_factory_value() -> None:
    _, made = both(factories)
    first, second = made(), made()
    first.items.append(1)
    assert second.items == []


@record
class Base:
    name: str

    def describe(self) -> str:
        return f"base {self.name}"


@record
class Child(Base):
    extra: int = 0

    def __post_init__(self) -> None:
        if self.extra < 0:
            raise ValueError("extra must not be negative")

    def __repr__(self) -> str:
        return "a child"


def test_inheritance_post_init_and_defined_methods() -> None:
    child = Child("n", 2)
    assert (child.name, child.extra, child.describe()) == ("n", 2, "base n")
    assert repr(child) == "a child"
    assert child != Base("n")
    with pytest.raises(ValueError, match="negative"):
        Child("n", -1)
    assert pickle.loads(pickle.dumps(child)) == child


def test_a_class_defining_eq_is_still_hashed_by_its_fields() -> None:
    @record
    class Loose:
        name: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Loose) and other.name.lower() == self.name.lower()

    assert Loose("A") == Loose("a")
    assert hash(Loose("A")) == hash(("A",))


def test_without_slots_a_cached_property_works() -> None:
    import functools

    @record(slots=False)
    class Cached:
        value: int

        @functools.cached_property
        def doubled(self) -> int:
            return self.value * 2

    cached = Cached(2)
    assert cached.doubled == 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        cached.value = 3  # type: ignore[misc]


def test_wrong_calls_fail_as_they_do_for_a_dataclass() -> None:
    stdlib, ours = both(plain)
    for arguments in ({}, {"name": "a", "other": 1}):
        with pytest.raises(TypeError) as theirs:
            stdlib(**arguments)
        with pytest.raises(TypeError) as mine:
            ours(**arguments)
        assert str(mine.value).split("() ", 1)[1] == str(theirs.value).split("() ", 1)[1]


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'late' follows default argument 'early'"):

        @record
        class Wrong:
            early: int = 0
            late: int  # type: ignore[misc]


def test_a_field_named_self() -> None:
    @record
    class Odd:
        self: str

    assert Odd(self="x").self == "x"
