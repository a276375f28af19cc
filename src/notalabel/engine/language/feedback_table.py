"""Feedback vocabulary, part two: modifiers, verdicts, genres, breaks, and the compiled table."""

from __future__ import annotations

from collections.abc import Iterator

from notalabel.engine.language.feedback_lexicon import Role, Word, dimension_words
from notalabel.engine.language.genre_lexicon import GENRE_ADJECTIVES, GENRE_BLENDS, GENRE_NAMES
from notalabel.engine.language.normalize import Corrector
from notalabel.engine.language.phrases import PhraseTable, alternatives, merge_entries

_MODS_TOWARD = (
    "more|much more|lot more|a lot more|bit more|a bit more|way more|add|adding|added|needs|"
    "need|needed|want|wanted|boost|increase|raise|turn up|crank up|pump up|bring up|bring in|"
    "bring out|give it|give me|put in|put some|could use|should have|make it|make|go|get|"
    "lacks|lacking|missing|not enough|amp up|emphasize|emphasise|prefer|more like|like|"
    "turn it into|into|sound like|sounds like|go for|switch to|try|up|enhance|with|include|"
    "would love|i want|id like|can it be|can you make it|be|bring back|bring it back"
)
_MODS_AWAY = (
    "less|lot less|a lot less|bit less|a bit less|way less|too|too much|too many|way too|"
    "far too|reduce|remove|drop|cut|lose|kill|mute|decrease|turn down|tone down|take out|"
    "take away|get rid of|no|without|fewer|not so|not as|not too|dont want|dont like|hate|"
    "down|overdone|over the top|enough with|stop|less of|too heavy on|take it out|take that out|"
    "too much like|too close to|too similar to|back|pull back|pull it back|dial back|dial down|"
    "scale back|ease off|ease off on|ease up on|lower"
)


def _others() -> Iterator[tuple[str, Word]]:
    for phrase in _MODS_TOWARD.split("|"):
        yield phrase, Word(Role.MOD, sign=1)
    for phrase in _MODS_AWAY.split("|"):
        yield phrase, Word(Role.MOD, sign=-1)
    for phrase in alternatives("not|isnt|doesnt|dont|arent|wasnt|never"):
        yield phrase, Word(Role.MOD, sign=-1, negation=True)
    yield "enough", Word(Role.ENOUGH)
    for phrase in alternatives(
        "its|it is|is|are|feels|feel|sounds|sound|seems|a bit|a little|kinda|kind of|"
        "bit|quite|very|really|pretty|rather|somewhat|overly|super|so|its a bit|"
        "its kinda|its pretty|its very|its so|its really"
    ):
        yield phrase, Word(Role.STATE)
    for genre, phrase in GENRE_NAMES + GENRE_ADJECTIVES:
        yield phrase, Word(Role.GENRE, genre=genre)
    for phrase, genre, weight in GENRE_BLENDS:
        if weight >= 1.0:
            yield phrase, Word(Role.GENRE, genre=genre)
    for phrase in alternatives(
        "different style|different genre|another style|another genre|other style|"
        "other genre|something else|something different|something new|new style|"
        "new genre|change the style|change the genre|change genre|change style|"
        "switch it up|mix it up|switch genre|switch genres|switch style|different vibe|"
        "another vibe|different direction|another direction|not my style|"
        "not my genre|completely different|totally different|something completely "
        "different|other genres|a different style|different approach"
    ):
        yield phrase, Word(Role.STYLE)
    for phrase in alternatives(
        "but|though|although|however|then|also|plus|.|!|?|;|:|except|otherwise"
    ):
        yield phrase, Word(Role.HARD_BREAK)
    for phrase in alternatives("and|,|&|n"):
        yield phrase, Word(Role.SOFT_BREAK)


def _verdicts() -> Iterator[tuple[str, Word]]:
    accept = (
        "love it|love this|loving it|i love it|love|loved it|perfect|yes|yeah|yep|yup|ya|yea|"
        "great|sounds good|sounds great|thats it|that is it|keep it|keep this|keeping it|"
        "keeping this|im keeping it|im keeping this|awesome|nailed it|"
        "amazing|ok|okay|k|cool|nice|good|fine|sure|alright|excellent|brilliant|beautiful|fire|"
        "dope|sick|incredible|fantastic|wonderful|exactly|spot on|thats the one|this is it|"
        "go with it|lets go|ship it|lock it in|save it|done|i like it|like it|i like this|"
        "works|that works|works for me|good to go|not bad|dont change|do not change|"
        "dont change anything|dont change a thing|no changes|nothing to change|no notes|"
        "keep it as is|as is|thank you|thanks|ty|exactly what i wanted|take it|ill take it|"
        "just right|absolutely|definitely|100|banger|gorgeous|stunning|lovely|slaps|this slaps|"
        "it slaps|bop|a bop|dont touch it|dont touch a thing|dont touch anything|leave it|"
        "leave it as is|leave it like that|good job|well done|im happy|happy with it|"
        "thats me|that is me|this is me|thats so me|so me|its me|its so me|sounds like me|"
        "this is my sound|thats my sound|that is my sound|this is my vibe|thats my vibe|"
        "this is my jam|thats my jam|this is so me|feels like me|this feels like me|"
        "totally me|all me|so my sound|so my vibe|my sound|my vibe|"
        "👍|👌|🔥|❤|♥|😍|💯|🙌|🤩|🥰|✅|💪|👏|😎"
    )
    reject = (
        "no|nope|nah|not really|not quite|not it|not feeling it|dont like it|dont like this|"
        "hate it|hate this|meh|ugh|bad|terrible|awful|wrong|not good|not great|not right|"
        "not for me|dislike|not a fan|👎|😕|🙁|😐|nope|not that|not this|i dont like it|"
        "not my thing|not my style|not my vibe|not my sound|not my cup of tea|not me|"
        "thats not me|not into it|not into this|not vibing|not vibing with it|no way|boring"
    )
    for phrase in accept.split("|"):
        yield phrase, Word(Role.ACCEPT)
    for phrase in reject.split("|"):
        yield phrase, Word(Role.REJECT)


_GLUE = frozenset({Role.MOD, Role.STATE, Role.ENOUGH, Role.HARD_BREAK, Role.SOFT_BREAK})


def _build() -> tuple[PhraseTable[Word], Corrector]:
    # A phrase listed twice keeps its first meaning; dimension words come first on purpose.
    merged = merge_entries([*dimension_words(), *_others(), *_verdicts()])
    table = PhraseTable((phrase, words[0]) for phrase, words in merged.items())
    # Typos are only fixed towards meaningful words, never towards glue like "not" or "too".
    content = PhraseTable((p, w) for p, w in table.entries() if w.role not in _GLUE)
    return table, Corrector(content.words, content.single_words, content.pairs)


FEEDBACK_TABLE, correct_feedback_tokens = _build()
