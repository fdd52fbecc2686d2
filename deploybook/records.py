"""Records: the frozen, slotted dataclasses that deploybook is made of, at a fraction of the import cost.

`@record` makes what `@dataclass(frozen=True, slots=True)` makes. `dataclasses.fields`,
`dataclasses.replace` and mypy see a dataclass, instances compare, hash, print and pickle the
same, and assigning to a field raises `dataclasses.FrozenInstanceError`.

Why not the decorator itself: before Python 3.13, `dataclass` compiles six methods from source
text for each frozen class as its module is imported (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`), about 1.4 ms a class on a 2-core machine. A dry run
imports some sixty of deploybook's classes, and those compilations were most of what made
`manage.py deploy --dry-run` cost 1.17 times `manage.py check`. Here `dataclass` only gathers
the fields and makes the slots; one `__init__` is compiled per class, and the other methods are
shared functions that read the field names the class keeps.
"""

from __future__ import annotations

import builtins
import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        # Only type checkers read it; Python 3.10 has no typing.dataclass_transform.
        return lambda function: function


__all__ = ["record"]

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, slots: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T] | None = None, /, *, slots: bool = True) -> type[T] | Callable[[type[T]], type[T]]:
    """Make `cls` a frozen dataclass; `slots=False` keeps an instance `__dict__` (for
    `functools.cached_property`)."""

    def wrap(cls: type[T]) -> type[T]:
        return _make_record(cls, slots)

    return wrap if cls is None else wrap(cls)


class _Factory:
    """The default of a parameter whose field has a default factory (as `dataclass` shows it)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _make_record(cls: type[T], slots: bool) -> type[T]:
    own = dict(vars(cls))  # what the class body defined, before `dataclass` copies it for the slots
    made = dataclasses.dataclass(init=False, repr=False, eq=False, slots=slots)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    for field in fields:
        if field.kw_only is True:
            raise TypeError(f"{cls.__qualname__}.{field.name}: records take no keyword-only fields")
    # Static, or a lambda kept on the class would be bound as a method.
    made.__record_compare__ = staticmethod(_key(f.name for f in fields if f.compare))  # type: ignore[attr-defined]
    made.__record_hash__ = staticmethod(  # type: ignore[attr-defined]
        _key(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    )
    made.__record_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    made.__record_names__ = tuple(f.name for f in fields)  # type: ignore[attr-defined]
    methods: dict[str, Any] = {
        "__init__": _make_init(made, fields),
        "__repr__": _repr,
        "__eq__": _eq,
        "__setattr__": _setattr,
        "__delattr__": _delattr,
    }
    if slots:  # pickle and copy restore slots with setattr, which a frozen class refuses
        methods |= {"__getstate__": _getstate, "__setstate__": _setstate}
    for name, method in methods.items():
        if name not in own:  # as `dataclass` does, a method the class defines is kept
            setattr(made, name, method)
    # A class that defines __eq__ gets __hash__ = None from Python; `dataclass(frozen=True)` still
    # hashes the fields then, and keeps only a __hash__ the class wrote itself.
    if own.get("__hash__") is None:
        made.__hash__ = _hash  # type: ignore[method-assign]
    return made


def _key(names: Any) -> Callable[[object], tuple[Any, ...]]:
    """A function giving an instance's values for `names`, always as a tuple."""
    names = tuple(names)
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda instance: (one(instance),)
    return lambda instance: ()


def _make_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """Compile the class's `__init__` (the one method whose signature is the class's own)."""
    self_name = "__record_self__" if any(f.name == "self" for f in fields) else "self"
    namespace: dict[str, Any] = {"__builtins__": builtins, "__record_set__": object.__setattr__}
    parameters, body = [self_name], []
    seen_default = None
    for field in fields:
        default, value = f"__record_default_{field.name}__", field.name
        has_factory = field.default_factory is not dataclasses.MISSING
        if has_factory:
            namespace[default] = field.default_factory
            value = f"{default}() if {field.name} is __record_factory__ else {field.name}"
            namespace["__record_factory__"] = _FACTORY
        elif field.default is not dataclasses.MISSING:
            namespace[default] = field.default
        if field.init:
            if has_factory:
                parameters.append(f"{field.name}=__record_factory__")
            elif field.default is not dataclasses.MISSING:
                parameters.append(f"{field.name}={default}")
            elif seen_default:
                raise TypeError(f"non-default argument {field.name!r} follows default argument {seen_default!r}")
            else:
                parameters.append(field.name)
            if has_factory or field.default is not dataclasses.MISSING:
                seen_default = seen_default or field.name
        elif has_factory:
            value = f"{default}()"
        elif field.default is not dataclasses.MISSING:
            value = default
        else:
            continue  # as in `dataclass`: an init=False field without a default is left unset
        body.append(f"  __record_set__({self_name}, {field.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append(f"  {self_name}.__post_init__()")
    source = f"def __init__({', '.join(parameters)}):\n" + ("\n".join(body) or "  pass") + "\n"
    exec(source, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__annotations__ = {f.name: f.type for f in fields if f.init} | {"return": None}  # for inspect.signature
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> object:  # a bool, or NotImplemented
    key = self.__record_compare__
    if other.__class__ is not self.__class__:
        return NotImplemented
    return bool(key(self) == key(other))


def _hash(self: Any) -> int:
    return hash(self.__record_hash__(self))


def _setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__record_names__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__record_names__, state, strict=True):
        object.__setattr__(self, name, value)
