"""Keyword spellings: sound elements the pattern builder knows, plus a few scene words."""

from __future__ import annotations

from notalabel.engine.vocabulary import SOUND_KEYWORDS

_SOUND_SYNONYMS: dict[str, str] = {
    "rain": "rain|rainy|raindrops|raindrop|rainfall|rain sounds|storm|thunder|thunderstorm|"
    "rainy day|rainy days|rainy evening|rainy night",
    "vinyl": "vinyl|crackle|crackles|crackling|vinyl crackle|record|records|record player|tape|"
    "tape hiss|cassette|hiss|dusty",
    "ocean": "ocean|oceans|waves|wave sounds|sea|seaside|beach|shore|surf",
    "wind": "wind|windy|breeze|gust",
    "piano": "piano|pianos|keys|keyboard|keyboards|grand piano|piano loops",
    "rhodes": "rhodes|electric piano|e piano|wurlitzer|wurli",
    "guitar": "guitar|guitars|acoustic guitar|electric guitar",
    "strings": "strings|string|violin|violins|cello|cellos|orchestra|orchestral|string section",
    "bells": "bells|bell|chimes|glockenspiel|music box",
    "808": "808|808s|808 slides|sliding 808s|eight oh eight",
    "synth": "synth|synths|synthesizer|synthesizers|synth pads|pads|arps|arpeggios|synth pop",
    "flute": "flute|flutes|pan flute",
    "sax": "sax|saxophone|saxophones|sax solos|sax samples",
    "choir": "choir|choirs|choral|choir samples",
}

_SCENE_WORDS: dict[str, str] = {
    "night": "night|nights|late night|late at night|midnight|nighttime|night drive|night drives|"
    "night driving|after dark",
    "summer": "summer|summery|summertime",
    "space": "space|cosmic|galaxy|stars|stargazing|outer space",
    "city": "city|urban|streets",
    "sunset": "sunset|sunsets|golden hour|sunrise",
    "forest": "forest|woods|nature|birds",
    "winter": "winter|snow|snowy",
    "autumn": "autumn|fall vibes",
    "neon": "neon",
    "retro": "retro|80s|90s|vintage|old school",
    "cyberpunk": "cyberpunk",
    "coffee": "coffee|cafe|coffee shop",
    "tropical": "tropical",
    "anime": "anime",
}

SOUND_KEYWORD_SET: frozenset[str] = frozenset(SOUND_KEYWORDS)

KEYWORD_TERMS: tuple[tuple[str, str], ...] = tuple(
    (phrase, keyword)
    for table in (_SOUND_SYNONYMS, _SCENE_WORDS)
    for keyword, phrases in table.items()
    for phrase in phrases.split("|")
)
