"""Pass 2: the YAML front matter, read with SafeLoader and checked key by key."""

from __future__ import annotations

import contextlib
import datetime
import re
from typing import Any

import yaml

from ..catalog import shadows_bundled
from ..ir import Axis, ReaderInfo, Variable
from ..names import ENV_NAME, NAME, SLUG, VALUE
from ..unit import Unit
from ..value_types import TYPES

RECIPE_KEYS = {"id", "title", "version", "summary", "requires", "target", "axes", "variables", "aliases", "retired"}
# Optional facts for the page's reader (ReaderInfo): a recipe without them still compiles.
READER_KEYS = {"prerequisites", "cost", "outcome", "verified", "changelog"}
RECIPE_KEYS |= READER_KEYS
REQUIRED_KEYS = ("id", "title", "version", "summary")
PARTIAL_KEYS = {"title", "summary", "variables"}
VARIABLE_KEYS = {"help", "default", "secret", "generate", "env", "type", "pattern", "error"}


def front_matter(unit: Unit) -> bool:
    lines = unit.text.split("\n")
    if lines[0].strip() != "---":
        if unit.is_partial:
            return True
        unit.diagnostics.add(
            "DB003",
            unit.span(1),
            "the recipe does not start with front matter",
            "begin the file with a '---' line, the keys id, title, version and summary, and a closing '---'",
        )
        return False
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        unit.diagnostics.add("DB003", unit.span(1), "the front matter is not closed", "add a '---' line after it")
        return False
    unit.body_start = end + 1
    source = "\n".join(lines[1:end])
    try:
        node, data = _load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        col = mark.column + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        unit.diagnostics.add(
            "DB004",
            unit.span(line, col),
            f"front matter is not valid YAML: {problem}",
            "fix the YAML syntax",
        )
        return False
    if data is None and unit.is_partial:
        return True
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        unit.diagnostics.add(
            "DB005",
            unit.span(2),
            "front matter must be a mapping of keys to values",
            "write it as 'key: value' lines",
        )
        return False
    key_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    value_nodes = {str(k.value): v for k, v in node.value}
    unit.header.data = data
    unit.header.lines = key_lines
    _check_keys(unit, data, key_lines)
    unit.header.axes = _axes(unit, data.get("axes"), value_nodes.get("axes"), key_lines.get("axes", 2))
    unit.header.variables = _variables(
        unit, data.get("variables"), value_nodes.get("variables"), key_lines.get("variables", 2)
    )
    _aliases(unit, data.get("aliases"), value_nodes.get("aliases"), key_lines.get("aliases", 2))
    _retired(unit, data.get("retired"), value_nodes.get("retired"), key_lines.get("retired", 2))
    if not unit.is_partial:
        unit.header.reader = _reader(unit, data, key_lines)
    return True


def _load(source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data, from one parse.

    libyaml's safe loader, when PyYAML has it, parses about ten times faster than the Python
    one (front matter was most of a compile). Its error messages say less ("found character
    that cannot start any token", not which), so a failure is parsed again for the message.
    """
    try:
        return _parse(getattr(yaml, "CSafeLoader", yaml.SafeLoader), source)
    except yaml.YAMLError:
        return _parse(yaml.SafeLoader, source)


def _parse(loader_class: Any, source: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _bad(unit: Unit, line: int, message: str, hint: str) -> None:
    unit.diagnostics.add("DB008", unit.span(line), message, hint)


def _check_keys(unit: Unit, data: dict[Any, Any], key_lines: dict[str, int]) -> None:
    # A key may have no line of its own (a YAML merge key `<<: *base` brings it in), hence .get.
    allowed = PARTIAL_KEYS if unit.is_partial else RECIPE_KEYS
    for key in data:
        if str(key) not in allowed:
            unit.diagnostics.add(
                "DB007",
                unit.span(key_lines.get(str(key), 2)),
                f"unknown front-matter key {key!r}",
                f"allowed keys: {', '.join(sorted(allowed))}",
            )
    if unit.is_partial:
        return
    for key in REQUIRED_KEYS:
        if key not in data:
            unit.diagnostics.add(
                "DB006",
                unit.span(1),
                f"front matter has no '{key}'",
                f"add '{key}:' to the front matter",
            )
    for key in ("id", "title", "summary"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            _bad(
                unit,
                key_lines.get(key, 2),
                f"'{key}' must be a non-empty string",
                f"write {key}: some text",
            )
    if isinstance(data.get("id"), str):
        if not SLUG.match(data["id"]):
            _bad(
                unit,
                key_lines.get("id", 2),
                f"id {data['id']!r} is not a slug",
                "use lowercase letters, digits and '-'",
            )
        elif data["id"] != unit.path.stem:
            unit.diagnostics.add(
                "DB009",
                unit.span(key_lines.get("id", 2)),
                f"id {data['id']!r} differs from the file name {unit.path.name!r}",
                f"rename the file to {data['id']}.md or set id: {unit.path.stem}",
            )
        elif shadows_bundled(unit.path):
            unit.diagnostics.add(
                "DB010",
                unit.span(key_lines.get("id", 2)),
                f"a bundled recipe already has the id {data['id']!r}: `manage.py deploy {data['id']}` runs "
                "that one, never this file",
                f"give this recipe an id of its own (rename the file and set its id), e.g. acme-{data['id']}",
            )
    version = data.get("version")
    if "version" in data and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        _bad(
            unit,
            key_lines.get("version", 2),
            "'version' must be a whole number from 1 up",
            "write version: 1",
        )
    requires = data.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) and r for r in requires):
        _bad(
            unit,
            key_lines.get("requires", 2),
            "'requires' must be a list of command names",
            "write requires: [fly]",
        )
    # The command that names where the commands go, asked before the confirmation question: it
    # runs as argv, so it must be words, and its program one the recipe already requires.
    target = data.get("target")
    if "target" in data and (
        not isinstance(target, list)
        or not target
        or not all(isinstance(word, str) and word for word in target)
        or not isinstance(requires, list)
        or target[0] not in requires
    ):
        _bad(
            unit,
            key_lines.get("target", 2),
            "'target' must be a command as a list of words, its program listed in 'requires'",
            "write target: [kubectl, config, current-context]",
        )


def _axes(unit: Unit, value: Any, node: Any, line: int) -> tuple[Axis, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
        _bad(
            unit,
            line,
            "'axes' must map axis names to lists of values",
            "write axes: {db: [postgres, sqlite]}",
        )
        return ()
    axes = []
    for key_node, _ in node.value:
        name, values = key_node.value, value.get(key_node.value)
        at = key_node.start_mark.line + 2
        if not isinstance(name, str) or not NAME.match(name):
            _bad(
                unit,
                at,
                f"axis name {name!r} is not a lowercase identifier",
                "use letters, digits and '_'",
            )
            continue
        labels: list[str] = []
        if isinstance(values, dict):
            # `db: {postgres: PostgreSQL, sqlite: SQLite}`: the values with their words, in order.
            labels = list(values.values())
            values = list(values)
            if not all(isinstance(label, str) and label.strip() for label in labels):
                _bad(
                    unit,
                    at,
                    f"axis '{name}' needs a label in words for each value",
                    f"write {name}: {{first: First, second: Second}}",
                )
                continue
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and VALUE.match(v) for v in values)
            or len(set(values)) != len(values)
        ):
            _bad(
                unit,
                at,
                f"axis '{name}' needs a list of distinct lowercase values",
                f"write {name}: [first, second], or {name}: {{first: First, second: Second}} to give them words",
            )
            continue
        axes.append(Axis(name, tuple(values), unit.span(at), tuple(label.strip() for label in labels)))
    return tuple(axes)


def _variables(unit: Unit, value: Any, node: Any, line: int) -> tuple[Variable, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
        _bad(
            unit,
            line,
            "'variables' must map names to descriptions",
            'write variables: {app_name: "Name of the app"}',
        )
        return ()
    variables = []
    for key_node, _ in node.value:
        name = key_node.value
        spec = value.get(name)
        at = key_node.start_mark.line + 2
        if not isinstance(name, str) or not NAME.match(name):
            _bad(
                unit,
                at,
                f"variable name {name!r} is not a lowercase identifier",
                "use letters, digits and '_'",
            )
            continue
        if isinstance(spec, str):
            variables.append(Variable(name, spec, unit.span(at)))
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("help"), str):
            _bad(
                unit,
                at,
                f"variable '{name}' needs a description",
                f'write {name}: "what it is", or a mapping with help:',
            )
            continue
        unknown = sorted(set(map(str, spec)) - VARIABLE_KEYS)
        if unknown:
            _bad(
                unit,
                at,
                f"variable '{name}' has unknown keys: {', '.join(unknown)}",
                f"allowed: {', '.join(sorted(VARIABLE_KEYS))}",
            )
            continue
        default, env, generate = spec.get("default"), spec.get("env"), spec.get("generate")
        if default is not None and not isinstance(default, str):
            _bad(unit, at, f"the default of '{name}' must be a string", "quote it")
            continue
        if env is not None and not (isinstance(env, str) and ENV_NAME.match(env)):
            _bad(
                unit,
                at,
                f"'env' of '{name}' must be an environment variable name",
                "for example env: DEPLOY_HOST",
            )
            continue
        if generate not in (None, "secret"):
            _bad(
                unit,
                at,
                f"'generate' of '{name}' must be 'secret'",
                "write generate: secret, or remove it",
            )
            continue
        secret = spec.get("secret", generate == "secret")
        if not isinstance(secret, bool):
            _bad(unit, at, f"'secret' of '{name}' must be true or false", "write secret: true")
            continue
        # A bad type or pattern is reported, and the variable kept as a plain line, so that
        # every use of it is not reported again as undeclared.
        kind = spec.get("type", "secret" if secret else "line")
        if kind not in TYPES:
            _bad(unit, at, f"'type' of '{name}' must be one of {', '.join(TYPES)}", "or give a pattern: instead")
            kind = "line"
        pattern, error = spec.get("pattern"), spec.get("error")
        if pattern is not None and not _compiles(pattern):
            _bad(unit, at, f"'pattern' of '{name}' is not a regular expression", "write a Python regular expression")
            pattern = None
        if error is not None and not isinstance(error, str):
            _bad(unit, at, f"'error' of '{name}' must be a text", "quote it")
            continue
        variables.append(
            Variable(name, spec["help"], unit.span(at), default, secret, generate, env, kind, pattern, error)
        )
    return tuple(variables)


def _compiles(pattern: object) -> bool:
    if not isinstance(pattern, str):
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _aliases(unit: Unit, value: Any, node: Any, line: int) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
        _bad(
            unit,
            line,
            "'aliases' must map old step ids to current ones",
            "write aliases: {old-step: new-step}",
        )
        return
    for key_node, value_node in node.value:
        old, new = (
            key_node.value,
            value_node.value if isinstance(value_node, yaml.ScalarNode) else None,
        )
        at = key_node.start_mark.line + 2
        if not (isinstance(old, str) and SLUG.match(old) and isinstance(new, str) and SLUG.match(new)):
            _bad(
                unit,
                at,
                f"alias {old!r} must map a step id to a step id",
                "write old-step: new-step",
            )
            continue
        unit.header.aliases[old] = (new, unit.span(at))


def _retired(unit: Unit, value: Any, node: Any, line: int) -> None:
    """Removed steps whose links stay published as a note: `old-step: what replaced it`."""
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
        _bad(
            unit,
            line,
            "'retired' must map removed step ids to a note",
            'write retired: {old-step: "Removed in version 2: what replaced it"}',
        )
        return
    for key_node, value_node in node.value:
        old = key_node.value
        note = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
        at = key_node.start_mark.line + 2
        if not (isinstance(old, str) and SLUG.match(old) and isinstance(note, str) and note.strip()):
            _bad(
                unit,
                at,
                f"retired step {old!r} needs a note saying what replaced it",
                'write old-step: "Removed in version 2: ... now does this"',
            )
            continue
        unit.header.retired[old] = (note.strip(), unit.span(at))


def _reader(unit: Unit, data: dict[Any, Any], key_lines: dict[str, int]) -> ReaderInfo:
    """The optional facts for readers; a malformed one is reported and left out."""
    texts: dict[str, str | None] = {}
    for key in ("cost", "outcome"):
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            _bad(unit, key_lines.get(key, 2), f"'{key}' must be a text", f'write {key}: "..."')
            value = None
        texts[key] = value.strip() if isinstance(value, str) else None
    prerequisites = data.get("prerequisites", [])
    if not isinstance(prerequisites, list) or not all(isinstance(p, str) and p.strip() for p in prerequisites):
        _bad(
            unit,
            key_lines.get("prerequisites", 2),
            "'prerequisites' must be a list of texts",
            'write prerequisites: ["An account on the platform"]',
        )
        prerequisites = []
    verified = data.get("verified")
    if isinstance(verified, str):
        with contextlib.suppress(ValueError):
            verified = datetime.date.fromisoformat(verified)
    if verified is not None and not (
        isinstance(verified, datetime.date) and not isinstance(verified, datetime.datetime)
    ):
        _bad(unit, key_lines.get("verified", 2), "'verified' must be a date", "write verified: 2026-12-01")
        verified = None
    return ReaderInfo(
        tuple(p.strip() for p in prerequisites),
        texts["cost"],
        texts["outcome"],
        verified.isoformat() if verified is not None else None,
        _changelog(unit, data, key_lines),
    )


def _changelog(unit: Unit, data: dict[Any, Any], key_lines: dict[str, int]) -> tuple[tuple[int, str], ...]:
    """`changelog:` maps each version after the first to what changed from the one before, and why."""
    value = data.get("changelog")
    if value is None:
        return ()
    line = key_lines.get("changelog", 2)
    version = data.get("version")
    hint = 'write changelog: {2: "What changed from version 1, and why"}'
    if not isinstance(value, dict):
        _bad(unit, line, "'changelog' must map versions to texts", hint)
        return ()
    entries = []
    for key, text in value.items():
        newest = version if isinstance(version, int) else key
        if not (isinstance(key, int) and not isinstance(key, bool) and 2 <= key <= newest):
            _bad(unit, line, f"changelog entry {key!r} is not a version from 2 to the recipe's version", hint)
        elif not (isinstance(text, str) and text.strip()):
            _bad(unit, line, f"changelog entry {key} must say what changed, and why", hint)
        else:
            entries.append((key, text.strip()))
    return tuple(sorted(entries))
