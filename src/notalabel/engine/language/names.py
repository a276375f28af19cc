"""Artist-name extraction from answers like "call me Lo Fi Luna" or just "DreamyBeats"."""

from __future__ import annotations

import re

from notalabel.engine.language.phrases import alternatives

MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 60

_QUOTED = re.compile(
    r"[\"“”«»]([^\"“”«»]{1,60})[\"“”«»]|(?:^|\s)['‘]([^'‘’]{1,60})['’](?=\s|$|[.,!?])"
)
_FILLER = r"(?:(?:ok(?:ay)?|so|well|um+|hmm+|yes|yeah|alright|hey|hi|hello)[\s,.!]+)*"
_START = rf"^\s*{_FILLER}(?:please\s+)?"
# intros that can only announce a name ("it's", "maybe" or "use" may start any sentence)
_NAMING_INTROS = (
    r"(?:you\s+can\s+|just\s+)?call\s+me|name\s+me|my\s+(?:artist\s+|stage\s+)?name\s+(?:is|will\s+be|should\s+be)"
    r"|(?:my\s+)?(?:artist\s+|stage\s+)?name\s*[:=-]|i\s*['’]?\s*m\s+called|i\s+am\s+called"
    r"|i\s+go\s+by|known\s+as|call\s+myself"
)
_INTRO = re.compile(
    rf"{_START}(?:{_NAMING_INTROS}"
    r"|i\s*['’]?\s*m(?:\s+called)?|im|i\s+am(?:\s+called)?"
    r"|(?:i\s*['’]?ll|i\s+will|let\s*['’]?s|lets)\s+go\s+with|go\s+with|i\s+(?:choose|pick|want)"
    r"|how\s+about|what\s+about|it\s*['’]?s|its|it\s+is|maybe|make\s+it|use"
    r"|i\s*['’]?d\s+like(?:\s+to\s+be(?:\s+called)?)?|i\s+(?:want|wanna)\s+to\s+be(?:\s+called)?"
    r")\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_NAMING_INTRO = re.compile(rf"{_START}(?:{_NAMING_INTROS})\s", re.IGNORECASE)
_LEADING = re.compile(
    r"^(?:thinking(?:\s+of)?|going\s+with|gonna\s+go\s+with|going\s+to\s+go\s+with|called|named)\s+",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:[\s,.!]+(?:please|pls|plz|thanks|thank\s+you|thx|i\s+guess|i\s+think|maybe|then|"
    r"instead|lol|haha|for\s+now|if\s+possible|if\s+that\s*['’]?s\s+ok(?:ay)?))+\s*[.!?]*$",
    re.IGNORECASE,
)
_EDGE_PUNCTUATION = " \t\r\n\"'“”‘’«»`.,!?;:()[]{}<>"
# Answers that are about not having a name yet, or that start a sentence rather than a name.
_NOT_NAMES = frozenset(
    alternatives(
        "idk|i dont know|dont know|dunno|not sure|no idea|anything|whatever|you choose|you pick|"
        "surprise me|something|nothing|none|no|yes|yeah|ok|okay|pass|skip|later|random|"
        "no name|you decide|up to you|i have no idea|no clue"
    )
)
_NOT_NAME_STARTS = frozenset(
    alternatives("not|really|very|so|just|kinda|gonna|trying|thinking|sure|unsure|still|into|a|the")
)


def _clean(candidate: str) -> str:
    candidate = _TRAILING.sub("", candidate.strip())
    candidate = _LEADING.sub("", candidate)
    return candidate.strip(_EDGE_PUNCTUATION).strip()


def _names_someone(name: str, *, capital_starts_a_name: bool) -> bool:
    """Not about having no name, and not a sentence ("the one you said"; with
    `capital_starts_a_name`, "The" written as a name's first word is a name's)."""
    if not name or not any(ch.isalnum() for ch in name):
        return False
    folded = re.sub(r"[’']", "", name.lower())
    first = name.split(maxsplit=1)[0]
    starts_a_name = first.lower() not in _NOT_NAME_STARTS or (
        capital_starts_a_name and first[:1].isupper()
    )
    return folded not in _NOT_NAMES and starts_a_name


def _introduced(name: str) -> bool:
    """A name an intro announced: any length (the naming rules say why it is too long)."""
    return _names_someone(name, capital_starts_a_name=True)


def _usable(name: str) -> bool:
    return (
        len(name) <= MAX_NAME_CHARS
        and len(name.split()) <= MAX_NAME_WORDS
        and _names_someone(name, capital_starts_a_name=False)
    )


def extract_artist_name(text: str) -> str | None:
    """Pull the artist name out of an answer, keeping its case; None if nothing usable."""
    text = text.strip()
    if not text:
        return None
    quoted = _QUOTED.search(text)
    if quoted:
        name = _clean(quoted.group(1) or quoted.group(2) or "")
        return name if _usable(name) else None
    intro = _INTRO.match(text)
    candidate = intro.group("name") if intro else text
    name = _clean(candidate)
    if intro is None and name.lower() == text.lower() and len(name.split()) > MAX_NAME_WORDS:
        return None
    if _NAMING_INTRO.match(text) and _introduced(name):
        # "my name is ..." says what follows is the name, however long: the naming rules
        # then say why it cannot be used, instead of asking for a name again
        return name
    return name if _usable(name) else None
