"""Refinement answer -> Feedback: accept, or the adjustments asked for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from notalabel.engine.language.feedback_lexicon import KIND_FOR, Dim, Role, Word
from notalabel.engine.language.feedback_table import FEEDBACK_TABLE, correct_feedback_tokens
from notalabel.engine.language.normalize import tokenize
from notalabel.engine.language.phrases import Match
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Feedback, Genre

Item = Match[Word]
_TERMS = frozenset({Role.ADJ, Role.COMPARATIVE, Role.CRITIQUE})
_ELEMENTS = _TERMS | {Role.NOUN, Role.GENRE, Role.STYLE, Role.QUALIFIER}


@dataclass(slots=True)
class _Reading:
    moves: list[tuple[Dim, int]] = field(default_factory=list)
    targets: list[Genre] = field(default_factory=list)
    other_style: bool = False
    accept: int = 0
    reject: int = 0


def _split(items: Sequence[Item], role: Role) -> Iterator[list[Item]]:
    part: list[Item] = []
    for item in items:
        if item.value.role is role:
            yield part
            part = []
        else:
            part.append(item)
    yield part


def _mod_before(segment: list[Item], position: int) -> Item | None:
    best = None
    for item in segment:
        if item.start >= position:
            break
        if item.value.role is Role.MOD:
            best = item
    return best


def _post_mod(segment: list[Item], noun: Item) -> Item | None:
    # "turn the bass down", "the bass is too much": a trailing modifier nothing else claims.
    # "turn the low end up a bit": words that only describe ("a bit") do not end the request
    after = [i for i in segment if i.start > noun.start and i.value.role is not Role.STATE]
    if (
        after
        and after[-1].value.role is Role.MOD
        and not any(i.value.role in _ELEMENTS for i in after)
    ):
        return after[-1]
    return None


def _followed_by_enough(segment: list[Item], item: Item) -> bool:
    return any(i.value.role is Role.ENOUGH and i.start == item.end for i in segment)


def _term_sign(segment: list[Item], item: Item, role: Role, sign: int, carried: int | None) -> int:
    if role is Role.COMPARATIVE:
        return sign
    if _followed_by_enough(segment, item):
        # "not dark enough" asks for more; "dark enough" asks for nothing.
        negated = any(i.value.negation for i in segment if i.start < item.start)
        return sign if negated else 0
    mod = _mod_before(segment, item.start)
    if mod is not None:
        return sign * mod.value.sign
    if role is Role.CRITIQUE:
        return -sign
    if carried is not None:
        return sign * carried
    described = any(i.value.role is Role.STATE for i in segment if i.start < item.start)
    return -sign if described else sign


def _read_segment(segment: list[Item], carried: int | None, reading: _Reading) -> int | None:
    """Add this segment's requests to reading; return the modifier sign later segments inherit."""
    nouns = [i for i in segment if i.value.role is Role.NOUN]
    attached: dict[int, Item] = {}
    terms: list[tuple[Item, Role, Dim, int]] = []
    for item in segment:
        word = item.value
        if word.role is Role.QUALIFIER:
            if nouns:
                noun = min(nouns, key=lambda n: abs(n.start - item.start))
                attached.setdefault(noun.start, item)
            elif word.alone is not None and word.alone_dim is not None:
                terms.append((item, word.alone, word.alone_dim, word.sign))
        elif word.role in _TERMS and word.dim is not None:
            terms.append((item, word.role, word.dim, word.sign))
    bound = False
    for item, role, dim, sign in terms:
        direction = _term_sign(segment, item, role, sign, carried)
        if direction:
            reading.moves.append((dim, direction))
    for noun in nouns:
        noun_dim, sign = noun.value.dim, noun.value.sign
        if noun_dim is None:
            continue
        qualifier = attached.get(noun.start)
        if qualifier is not None:
            mod = _mod_before(segment, max(noun.start, qualifier.start))
            sign *= qualifier.value.sign * (mod.value.sign if mod else 1)
        else:
            mod = _mod_before(segment, noun.start) or _post_mod(segment, noun)
            if mod is None and carried is None:
                continue
            sign *= mod.value.sign if mod else (carried or 1)
        reading.moves.append((noun_dim, sign))
        bound = bound or mod is not None
    for item in segment:
        role = item.value.role
        if role is Role.GENRE and item.value.genre is not None:
            mod = _mod_before(segment, item.start)
            if mod is not None and mod.value.sign < 0:
                reading.other_style = True
            else:
                reading.targets.append(item.value.genre)
        elif role is Role.STYLE:
            reading.other_style = True
        elif role is Role.ACCEPT:
            reading.accept += 1
        elif role is Role.REJECT:
            reading.reject += 1
    if not any(i.value.role in _ELEMENTS for i in segment):
        # A lone "no" or "not" rejects rather than modifies.
        reading.reject += sum(1 for i in segment if i.value.role is Role.MOD and i.value.sign < 0)
        return carried
    mods = [i for i in segment if i.value.role is Role.MOD]
    return mods[-1].value.sign if mods and bound else carried


def _adjustments(reading: _Reading) -> tuple[Adjustment, ...]:
    kinds: dict[AdjustmentKind, None] = {}
    seen_dims: set[Dim] = set()
    for dim, sign in reading.moves:
        kind = KIND_FOR.get((dim, 1 if sign > 0 else -1))
        # The first direction named for a dimension wins ("too dark, make it happier").
        if kind is None or dim in seen_dims:
            continue
        seen_dims.add(dim)
        kinds[kind] = None
    result = [Adjustment(kind) for kind in kinds]
    if reading.targets:
        result.append(Adjustment(AdjustmentKind.DIFFERENT_STYLE, reading.targets[0]))
    elif reading.other_style:
        result.append(Adjustment(AdjustmentKind.DIFFERENT_STYLE))
    return tuple(result)


def analyze_feedback(text: str) -> Feedback:
    """Read a refinement answer into an accept or a list of adjustments."""
    tokens = correct_feedback_tokens(tokenize(text))
    items = list(FEEDBACK_TABLE.scan(tokens))
    reading = _Reading()
    for clause in _split(items, Role.HARD_BREAK):
        carried: int | None = None
        for segment in _split(clause, Role.SOFT_BREAK):
            if segment:
                carried = _read_segment(segment, carried, reading)
    adjustments = _adjustments(reading)
    if adjustments:
        return Feedback(accept=False, adjustments=adjustments)
    if reading.reject and not reading.accept:
        # "nah", "not my thing": no direction, but not this one either; keeping the pattern
        # would answer a no with the same music
        return Feedback(accept=False, adjustments=(Adjustment(AdjustmentKind.DIFFERENT_STYLE),))
    return Feedback(accept=reading.accept > 0 and reading.reject == 0)
