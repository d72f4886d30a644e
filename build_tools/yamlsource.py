"""Read YAML into plain data plus the position of every value, so that errors can name ``file:line:col``.

Only three kinds of plain scalar are resolved: null, ``true``/``false``, and text. Everything else stays text
and is converted by the schema, which sidesteps YAML 1.1 traps: ``NO`` (Norway) stays ``"NO"``, ``14:30`` is not
the number 870, ``+66812345678`` is not an integer and ``0812`` is not octal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, format_field, utf8_text

Loc = tuple[str | int, ...]


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader whose implicit resolvers know only null and true/false."""


# The same loader on libyaml's parser, when PyYAML has it: about ten times faster, same nodes and marks. Errors
# are always reported by the pure-Python parser, whose messages the golden tests pin down.
_FastLoader: type = type("_FastLoader", (yaml.CSafeLoader,), {}) if yaml.__with_libyaml__ else _PlainLoader

for _loader in {_PlainLoader, _FastLoader}:
    _loader.yaml_implicit_resolvers = {}
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    _loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])

# A guest file nests five levels deep and holds a few hundred values. The limits leave ample room and stop a file
# whose aliases (*name) expand to billions of values, or whose brackets nest deeper than Python can follow.
MAX_DEPTH = 40
MAX_VALUES = 50_000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class YamlDocument:
    """Plain data read from one file, with the 1-based (line, column) of each value and of each mapping key."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int, int]:
        """Where the value at ``loc`` stands, or its nearest enclosing value."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)

    def key_position(self, loc: Loc) -> tuple[int, int]:
        return self.keys.get(loc) or self.position(loc)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f'"{node.value}"'


class TooLarge(Exception):
    """The file expands past MAX_VALUES or nests past MAX_DEPTH; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class _Builder:
    def __init__(self, path: str):
        self.doc = YamlDocument(path=path, data=None)
        self.problems: list[Diagnostic] = []
        self.count = 0

    def problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Diagnostic(self.doc.path, mark.line + 1, mark.column + 1, format_field(loc), message))

    def _limit(self, node: yaml.Node, loc: Loc) -> None:
        self.count += 1
        mark = node.start_mark
        if len(loc) > MAX_DEPTH:
            raise TooLarge(Diagnostic(self.doc.path, mark.line + 1, mark.column + 1, "",
                                      f"expected at most {MAX_DEPTH} levels of nesting, got more; is a bracket or an alias looping?"))
        if self.count > MAX_VALUES:
            raise TooLarge(Diagnostic(self.doc.path, mark.line + 1, mark.column + 1, "",
                                      f"expected at most {MAX_VALUES} values, got more (YAML aliases like *name repeat whole "
                                      "parts); write the values out instead of aliasing them"))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self._limit(node, loc)
        self.doc.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _STANDARD_TAGS:
            self.problem(node, loc, f'expected plain YAML, got the tag "{node.tag}"; remove the tag')
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if node.tag.endswith(":null"):
            return None
        if node.tag.endswith(":bool"):
            return node.value.lower() == "true"
        return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":null"):
                self.problem(key_node, loc, f"expected a field name, got {_describe(key_node)}")
                continue
            if key_node.value == "<<":
                self.problem(key_node, loc, "expected a field name, got a YAML merge key (<<); write the fields out")
                continue
            key = key_node.value
            if key in result:
                first = self.doc.keys[(*loc, key)]
                self.problem(key_node, (*loc, key), f"duplicate key; it is already set on line {first[0]}")
                continue
            self.doc.keys[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*loc, key))
        return result


def _syntax_problem(path: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Diagnostic(path, line, column, "", f"expected printable text, got the control character U+{code:04X}; remove it")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return Diagnostic(path, 0, 0, "", "invalid YAML: " + " ".join(str(exc).split()))
    lines = text.splitlines()
    line_text = lines[mark.line] if mark.line < len(lines) else ""
    problem = getattr(exc, "problem", None) or "unreadable YAML"
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())] or "'\\t'" in problem:
        message = "expected spaces for indentation, got a tab character; indent with spaces"
    elif mark.index >= len(text.rstrip()):
        message = f"expected more YAML, got the end of the file ({problem}); is the file cut short?"
    else:
        context = getattr(exc, "context", None)
        message = " ".join((f"invalid YAML: {problem}" + (f" ({context})" if context else "")).split())
    return Diagnostic(path, mark.line + 1, mark.column + 1, "", message)


def _nesting_problem(path: str, text: str) -> Diagnostic:
    """Where ``text`` first nests deeper than MAX_DEPTH, found from the parser's events (which do not recurse)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_PlainLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Diagnostic(path, mark.line + 1, mark.column + 1, "",
                                      f"expected at most {MAX_DEPTH} levels of nesting, got more; remove the extra brackets")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        return _syntax_problem(path, text, exc)
    return Diagnostic(path, 0, 0, "", f"expected at most {MAX_DEPTH} levels of nesting, got more")


_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")  # also matches inside quoted text: that goes the slow way too


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: libyaml for text both parsers accept, PyYAML's own parser for anything else.

    Text with a tab goes to PyYAML directly: libyaml accepts tabs where PyYAML does not (inside a plain key), and the
    two must read every file alike (tests/test_loader_fuzz.py). So does text with a ``?`` and a flow collection:
    libyaml reads ``[x? y]`` as the string ``x? y`` where PyYAML ends the plain scalar at the ``?`` and reports an
    error (no sample file has a ``?``). And so does text where a block scalar's ``|`` or ``>`` (and its indicators) is
    followed by a ``#`` with no space between: libyaml takes ``note: |#`` as a comment, PyYAML reports an error."""
    flow_question = "?" in text and ("[" in text or "{" in text)
    if (_FastLoader is not _PlainLoader and "\t" not in text and not flow_question
            and not _BLOCK_HEADER_COMMENT.search(text)
            and not yaml.reader.Reader.NON_PRINTABLE.search(text)):
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # parse again below, for PyYAML's message and marks
    return yaml.compose(text, Loader=_PlainLoader)


def parse_yaml(text: str, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse ``text`` (already decoded) into a :class:`YamlDocument`; never raises for bad input."""
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(path, text, exc)]
    except RecursionError:
        return None, [_nesting_problem(path, text)]
    if node is None:
        return None, [Diagnostic(path, 0, 0, "", "expected a mapping of fields, got an empty file")]
    builder = _Builder(path)
    try:
        builder.doc.data = builder.build(node, ())
    except TooLarge as exc:
        return None, [exc.diagnostic]
    return builder.doc, builder.problems


def read_yaml(file: Path, shown_as: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Read a YAML file from disk; undecodable bytes and unreadable files become diagnostics."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(shown_as, 0, 0, "", f"cannot read the file: {exc.strerror}")]
    text, problems = utf8_text(raw, shown_as)
    if text is None:
        return None, problems
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_yaml(text, shown_as)
