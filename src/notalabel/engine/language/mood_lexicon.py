"""Words for moods, activities and intensity: (phrases, mood weights, energy, complexity).

Energy and complexity are deltas on the genre's defaults; None energy means "derive it from the
moods" (see MOOD_ENERGY), so calm words lower energy and hype words raise it without retyping.
"""

from __future__ import annotations

from notalabel.engine.vocabulary import CreationStyle, Mood

M = Mood
MoodWeights = tuple[tuple[Mood, float], ...]
Term = tuple[str, MoodWeights, float | None, float]

MOOD_ENERGY: dict[Mood, float] = {
    M.CHILL: -1.2,
    M.DREAMY: -0.8,
    M.STUDY: -1.0,
    M.AGGRESSIVE: 2.0,
    M.MELODIC: 0.0,
    M.DARK: 0.0,
    M.ENERGETIC: 2.0,
    M.UPBEAT: 1.0,
    M.MYSTERIOUS: -0.5,
    M.MELANCHOLIC: -1.0,
}


def _t(
    phrases: str, *moods: tuple[Mood, float], energy: float | None = None, cx: float = 0
) -> Term:
    return (phrases, tuple(moods), energy, cx)


MOOD_TERMS: tuple[Term, ...] = (
    # Mood adjectives.
    _t(
        "chill|chilled|chillout|chill out|chilling|chilled out|relaxed|laid back|laidback|"
        "calm|mellow|peaceful|cozy|cosy|easy going|smooth|soothing|serene|tranquil|comfy|"
        "easy listening|unwind|unwinding|cruisy",
        (M.CHILL, 1.0),
    ),
    _t("relaxing|relax|meditative|zen|lazy|sunday|sunday morning|intimate|warm", (M.CHILL, 0.8)),
    _t(
        "dreamy|dream|dreams|dreamlike|ethereal|floaty|floating|float|hazy|airy|spacey|spacy|"
        "cosmic|celestial|shimmering|surreal|otherworldly|heavenly|blissful|trippy|psychedelic|"
        "washed out|slowed and reverb|slowed reverb|stargazing|clouds",
        (M.DREAMY, 1.0),
    ),
    _t("lush|atmospheric|spacious|space|reverb|sunset|sunsets", (M.DREAMY, 0.5)),
    _t(
        "study|studying|focus|focused|focusing|concentrate|concentration|concentrating|coding|"
        "programming|reading|homework|deep work|productive|productivity|exam|exams|revision|"
        "revising|work|working|office",
        (M.STUDY, 1.2),
    ),
    _t("writing|background music", (M.STUDY, 0.5)),
    _t(
        "aggressive|angry|rage|raging|brutal|violent|fierce|furious|savage|menacing|mosh|"
        "moshpit|filthy|hard hitting|hardhitting|go hard|goes hard",
        (M.AGGRESSIVE, 1.0),
    ),
    _t("gritty|raw|distorted|punk", (M.AGGRESSIVE, 0.6), (M.DARK, 0.3)),
    _t(
        "melodic|melodies|melody|melodious|tuneful|harmonic|harmonies|soulful|musical|"
        "melodic lines",
        (M.MELODIC, 1.0),
    ),
    _t("catchy|hooks|hook|ballad|ballads|beautiful|romantic|singing|vocals", (M.MELODIC, 0.5)),
    _t("emotional|epic|cinematic", (M.MELODIC, 0.4), (M.MELANCHOLIC, 0.4)),
    _t(
        "dark|darker|gloomy|ominous|sinister|creepy|haunting|haunted|grim|brooding|dystopian|"
        "gothic|evil|horror|scary|menace|industrial",
        (M.DARK, 1.0),
    ),
    _t("eerie|spooky|halloween|noir|occult", (M.DARK, 0.7), (M.MYSTERIOUS, 0.8)),
    _t("moody", (M.DARK, 0.5), (M.MELANCHOLIC, 0.5)),
    _t("underground", (M.DARK, 0.4)),
    _t(
        "energetic|energy|high energy|hype|hyped|hyper|pumping|pumped|adrenaline|explosive|"
        "banging|bangers|banger|euphoric|wild|lively|powerful|epic drops",
        (M.ENERGETIC, 1.0),
    ),
    _t(
        "upbeat|happy|cheerful|fun|funky|bright|sunny|joyful|joy|positive|feel good|feelgood|"
        "bouncy|danceable|dance|dancing|party|partying|parties|playful|summery|"
        "vibrant|colorful|colourful|optimistic|uplifting|festive|carefree|dance music",
        (M.UPBEAT, 1.0),
    ),
    _t("summer|tropical|beach|groovy|groove|grooves", (M.UPBEAT, 0.5)),
    _t(
        "mysterious|mystery|mystical|mystic|enigmatic|cryptic|hypnotic|secret|foggy|misty|"
        "shadowy|suspense|suspenseful|magical|ancient|detective|unknown",
        (M.MYSTERIOUS, 1.0),
    ),
    _t(
        "melancholic|melancholy|sad|sadness|sorrow|nostalgic|nostalgia|bittersweet|wistful|"
        "heartbreak|heartbroken|lonely|loneliness|longing|depressing|depressed|tearful|crying|"
        "grief|somber|sombre|introspective|reflective|pensive|memories|blue",
        (M.MELANCHOLIC, 1.0),
    ),
    # Activities and situations.
    _t(
        "gym|workout|work out|working out|workouts|running|run|jogging|lifting|lifting weights|"
        "training|cardio|cycling|hiit|crossfit|boxing|sports|headbanging|pregame|pre game",
        (M.ENERGETIC, 1.2),
    ),
    _t("gaming|video games|racing", (M.ENERGETIC, 0.8)),
    _t(
        "sleep|sleeping|asleep|fall asleep|bedtime|nap|napping|meditation|meditating|yoga|bath|"
        "spa|winding down|wind down|lounging|massage",
        (M.CHILL, 1.2),
    ),
    _t(
        "club|clubbing|festival|festivals|road trip|road trips|pool party|bbq",
        (M.UPBEAT, 1.0),
        (M.ENERGETIC, 0.6),
    ),
    _t(
        "night drive|night drives|night driving|driving at night|late night drive|midnight drive|"
        "cruising at night",
        (M.DREAMY, 1.2),
        (M.DARK, 0.8),
    ),
    _t(
        "late night|late at night|midnight|night|nighttime|after dark",
        (M.DREAMY, 0.5),
        (M.DARK, 0.5),
    ),
    _t(
        "rainy day|rainy days|rainy evening|rainy night|rainy", (M.MELANCHOLIC, 0.5), (M.CHILL, 0.5)
    ),
    _t("coffee|cafe|coffee shop|morning coffee|walking|walk", (M.CHILL, 0.6)),
    _t("driving", (M.ENERGETIC, 0.7)),
    # Intensity: change energy and complexity, lean a little towards a mood.
    _t(
        "hard|harder|heavy|heavier|pounding|massive|hard techno",
        (M.AGGRESSIVE, 0.4),
        (M.ENERGETIC, 0.3),
        energy=2.0,
    ),
    _t(
        "intense|intenso|loud|punchy|fast|uptempo|up tempo|high tempo|high bpm|fast paced",
        (M.ENERGETIC, 0.5),
        (M.AGGRESSIVE, 0.2),
        energy=2.0,
    ),
    _t(
        "soft|softer|gentle|quiet|slow|slower|downtempo|low energy|low bpm|sleepy|slowed",
        (M.CHILL, 0.5),
        energy=-2.0,
    ),
    _t("complex|intricate|technical|polyrhythmic|odd time|lots of layers", energy=0.0, cx=2.5),
    _t("layered|busy|progressive|detailed|experimental|chaotic", energy=0.0, cx=1.5),
    _t(
        "simple|minimal|minimalist|sparse|stripped back|stripped down|basic|straightforward|"
        "repetitive|clean",
        energy=-0.5,
        cx=-2.0,
    ),
)

# Words that soften or cancel the next cue, or weight the next genre.
NEGATORS = (
    "not|no|dont|doesnt|isnt|never|nothing|without|hate|avoid|cant stand|not into|nor|"
    "not a fan of|dislike|less|anything but|anything except|anything other than|other than"
)
NEUTRAL = (
    "dont know|not sure|no idea|dont care|dont mind|doesnt matter|not only|not just|"
    "never mind|no matter"
)
STRONGER = (
    "mostly|mainly|especially|primarily|mostly into|mainly into|obsessed with|big on|"
    "listen to most|listen to the most|i listen to most|these days|nowadays|lately"
)
WEAKER = (
    "a bit of|a little|a little bit of|bit of|some|sometimes|also|hints of|hint of|"
    "touch of|a touch of|dash of|a dash of|occasionally|elements of|influences"
)
# after a genre word: that genre colours the style named next to it ("jazz-leaning hip hop")
QUALIFIERS = (
    "leaning|leaning towards|inspired|influenced|tinged|flavored|flavoured|infused|ish|esque|"
    "adjacent"
)
INTENSIFIERS = "very|super|really|extremely|so|totally|pure|full on|proper|mega|ultra"

STYLE_TERMS: tuple[tuple[str, CreationStyle, float], ...] = tuple(
    (phrase, style, weight)
    for style, weight, phrases in (
        (
            CreationStyle.COLLABORATIVE,
            1.0,
            "collab|collabs|collaborate|collaborating|collaboration|collaborative|with friends|"
            "with my friends|with others|with other artists|with other people|together|band|"
            "my band|jam|jamming|jams|as a group|my crew|duo|team up",
        ),
        (
            CreationStyle.EXPERIMENTAL,
            1.0,
            "experimental|experiment|experimenting|weird|glitch|glitchy|avant|avant garde|"
            "avantgarde|noise|abstract|unconventional|idm|out there|hyperpop",
        ),
        (CreationStyle.EXPERIMENTAL, 0.5, "strange|quirky|odd|unusual|chaotic"),
    )
    for phrase in phrases.split("|")
)
