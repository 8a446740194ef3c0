"""YAML with line numbers: parse a block of YAML and remember where every key stands.

Editors need `path:line` in every message, so values are constructed from the
composed node tree and each key's line is kept in a LineMap. Dates stay text
(validation parses them, so an impossible date is a field error, not a crash),
and only plain data types are built: no YAML tag can create Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Key = tuple[str | int, ...]


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates are validated by us."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_FastLoader: Any = None
if yaml.__with_libyaml__:  # the PyPI wheels include libyaml

    class _CPlainLoader(yaml.CSafeLoader):
        """The same loader, parsed by libyaml."""

    _CPlainLoader.yaml_implicit_resolvers = _PlainLoader.yaml_implicit_resolvers
    _FastLoader = _CPlainLoader

_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


@dataclass(frozen=True)
class LineMap:
    """File line (1-based) of each key path in a YAML document: ("sections", 0, "title")."""

    lines: dict[Key, int] = field(default_factory=dict)
    default: int = 1  # where to report a key that is not there (the closing ---)

    def line(self, *key: str | int) -> int:
        """The line of the deepest known prefix of `key`."""
        path: Key = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.default


@dataclass(frozen=True)
class YamlProblem:
    """A YAML syntax or construction error with the file line it points at."""

    line: int
    problem: str
    column: int = 0  # 1-based, 0 when the parser gave no mark


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int


Parsed = tuple[Any, LineMap, list[DuplicateKey]]


def parse_yaml(text: str, *, first_line: int, default_line: int) -> Parsed | YamlProblem:
    """Parse `text` (which starts at file line `first_line`) into data plus a LineMap."""
    # libyaml (C) reads valid YAML ten times faster; anything it refuses, or that
    # holds characters the Python reader refuses, is read again by the Python
    # parser, so problems and their messages stay exactly the same.
    if _FastLoader is not None and not _NON_PRINTABLE.search(text):
        fast = _parse(_FastLoader, text, first_line, default_line)
        if not isinstance(fast, YamlProblem):
            return fast
    return _parse(_PlainLoader, text, first_line, default_line)


def _parse(
    loader_type: type[_PlainLoader] | Any, text: str, first_line: int, default_line: int
) -> Parsed | YamlProblem:
    try:
        loader = loader_type(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as exc:
        before = text[: max(exc.position, 0)]
        column = len(before) - before.rfind("\n")
        return YamlProblem(first_line + before.count("\n"), str(exc).splitlines()[0], column)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({}, default_line), []
        lines: dict[Key, int] = {(): first_line + node.start_mark.line}  # () = the whole
        duplicates: list[DuplicateKey] = []
        _collect_lines(node, (), first_line, lines, duplicates, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and str(exc.problem).startswith("found unexpected end of stream"):
            mark = exc.context_mark  # an unclosed quote: point where it opens, not at the end
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or "cannot be read"
        return YamlProblem(line, str(problem), mark.column + 1 if mark else 0)
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        return YamlProblem(first_line, str(exc).splitlines()[0])
    except RecursionError:
        return YamlProblem(first_line, "nested too deeply")
    finally:
        loader.dispose()
    return data, LineMap(lines, default_line), duplicates


def _collect_lines(
    node: yaml.Node,
    path: Key,
    first_line: int,
    lines: dict[Key, int],
    duplicates: list[DuplicateKey],
    visited: set[int],
) -> None:
    # An alias (*name) is the anchored node itself: walking it again at every use
    # made ten lines of nested aliases ("billion laughs") take forever.
    if id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in seen:
                duplicates.append(DuplicateKey(key, line))
            seen.add(key)
            lines[(*path, key)] = line
            _collect_lines(value_node, (*path, key), first_line, lines, duplicates, visited)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = first_line + item.start_mark.line
            _collect_lines(item, (*path, index), first_line, lines, duplicates, visited)
