"""A tiny reader for the mini-notation subset the renderer writes, to check rhythms in tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

_TOKEN = re.compile(r"\[|\]|<|>|[^\s\[\]<>]+")


@dataclass
class Node:
    kind: str  # word, seq or alt
    word: str = ""
    children: list[Node] = field(default_factory=list)
    suffix: str = ""  # "*n", "!n" or "@n" after a bracket
    weight: int = 1


def _parse(tokens: list[str], pos: int, close: str) -> tuple[list[Node], int]:
    items: list[Node] = []
    while pos < len(tokens) and tokens[pos] != close:
        tok = tokens[pos]
        if tok in ("[", "<"):
            children, pos = _parse(tokens, pos + 1, "]" if tok == "[" else ">")
            node = Node("seq" if tok == "[" else "alt", children=children)
            pos += 1
            if pos < len(tokens) and tokens[pos][0] in "*!@":
                node.suffix = tokens[pos]
                pos += 1
            items.append(node)
        else:
            items.append(Node("word", word=tok))
            pos += 1
    return items, pos


def _expand(items: list[Node]) -> list[Node]:
    out: list[Node] = []
    for item in items:
        if item.kind == "word" and "!" in item.word:
            name, count = item.word.split("!")
            out += [Node("word", word=name) for _ in range(int(count))]
        elif item.suffix.startswith("!"):
            out += [Node(item.kind, children=item.children) for _ in range(int(item.suffix[1:]))]
        elif item.kind == "word" and "@" in item.word:
            name, weight = item.word.split("@")
            out.append(Node("word", word=name, weight=int(weight)))
        else:
            out.append(item)
    return out


def _events(node: Node, start: Fraction, size: Fraction, cycle: int) -> list[tuple[Fraction, str]]:
    if node.kind == "word":
        name, _, times = node.word.partition("*")
        if name in ("~", "_"):
            return []
        count = int(times or 1)
        return [(start + size * i / count, name) for i in range(count)]
    if node.suffix.startswith("*"):
        count = int(node.suffix[1:])
        plain = Node(node.kind, children=node.children)
        out: list[tuple[Fraction, str]] = []
        for i in range(count):
            out += _events(plain, start + size * i / count, size / count, cycle)
        return out
    parts = _expand(node.children)
    if node.kind == "alt":
        return _events(parts[cycle % len(parts)], start, size, cycle // len(parts))
    total = sum(part.weight for part in parts)
    out = []
    offset = 0
    for part in parts:
        out += _events(part, start + size * offset / total, size * part.weight / total, cycle)
        offset += part.weight
    return out


def onsets(pattern: str, cycle: int = 0) -> list[tuple[Fraction, str]]:
    """(time within the cycle, word) for every onset in the given cycle."""
    items, _ = _parse(_TOKEN.findall(pattern), 0, "")
    return sorted(_events(Node("seq", children=items), Fraction(0), Fraction(1), cycle))


def steps(pattern: str, cycle: int = 0) -> set[int]:
    """Sixteenth-note positions (0-15) with an onset in the given cycle."""
    return {int(t * 16) for t, _ in onsets(pattern, cycle) if (t * 16).denominator == 1}
