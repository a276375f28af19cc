"""Genre spellings, blends and hints, plus each genre's defaults for mood, energy and complexity.

Mapping choices for styles outside the 14 canonical genres:
- amapiano -> afrobeats, with house as a sub-genre: its log-drum percussion, artists and audience
  sit in the African pop family, while its four-on-the-floor pulse borrows from house.
- afro house -> house, with afrobeats as a sub-genre (the reverse weighting).
- dub, riddim, future bass, "bass music" -> dubstep (closest canonical bass-heavy genre).
- jungle, breakbeat, neurofunk, liquid -> drum-and-bass; phonk and cloud rap -> trap.
- edm, uk garage, disco -> house; trance, rave, acid -> techno; dancehall, dembow -> reggaeton.
- r&b, k-pop, j-pop, hyperpop, synth pop -> pop; bossa nova, swing, funk, neo soul -> jazz.
"""

from __future__ import annotations

from dataclasses import dataclass

from notalabel.engine.vocabulary import Genre, Mood

G = Genre


@dataclass(frozen=True, slots=True)
class GenreProfile:
    """What a genre implies when the artist says nothing more."""

    label: str
    mood: Mood
    energy: int
    complexity: int


PROFILES: dict[Genre, GenreProfile] = {
    G.LOFI: GenreProfile("lo-fi", Mood.CHILL, 3, 4),
    G.HIPHOP: GenreProfile("hip-hop", Mood.UPBEAT, 5, 5),
    G.TRAP: GenreProfile("trap", Mood.DARK, 7, 5),
    G.DRILL: GenreProfile("drill", Mood.DARK, 7, 5),
    G.HOUSE: GenreProfile("house", Mood.UPBEAT, 7, 4),
    G.TECHNO: GenreProfile("techno", Mood.ENERGETIC, 8, 5),
    G.AMBIENT: GenreProfile("ambient", Mood.DREAMY, 2, 3),
    G.DRUM_AND_BASS: GenreProfile("drum & bass", Mood.ENERGETIC, 9, 7),
    G.DUBSTEP: GenreProfile("dubstep", Mood.AGGRESSIVE, 8, 6),
    G.SYNTHWAVE: GenreProfile("synthwave", Mood.DREAMY, 6, 5),
    G.AFROBEATS: GenreProfile("afrobeats", Mood.UPBEAT, 7, 6),
    G.REGGAETON: GenreProfile("reggaeton", Mood.UPBEAT, 7, 4),
    G.JAZZ: GenreProfile("jazz", Mood.MELODIC, 4, 8),
    G.POP: GenreProfile("pop", Mood.UPBEAT, 6, 4),
}

# Full names: a mention counts as one whole vote for the genre.
GENRE_NAMES: tuple[tuple[Genre, str], ...] = tuple(
    (genre, phrase)
    for genre, phrases in (
        (
            G.LOFI,
            "lofi|lo fi|low fi|lowfi|chillhop|chill hop|lofi hip hop|lo fi hip hop|"
            "lofi beats|lo fi beats|lofi girl",
        ),
        (
            G.HIPHOP,
            "hip hop|hiphop|rap|raps|rapper|rappers|rapping|boom bap|boombap|"
            "old school hip hop|underground rap|conscious rap|grime|trip hop|triphop",
        ),
        (G.TRAP, "trap|trap beats|phonk|drift phonk|cloud rap|emo rap|rage beats"),
        (G.DRILL, "drill|uk drill|ny drill|brooklyn drill|chicago drill|melodic drill"),
        (
            G.HOUSE,
            "house|deep house|tech house|progressive house|future house|french house|"
            "disco house|funky house|edm|uk garage|garage|2 step|2step|garage house|disco|nu disco|"
            "house music|electro house|tropical house",
        ),
        (
            G.TECHNO,
            "techno|minimal techno|hard techno|acid techno|industrial techno|acid house|"
            "detroit techno|berlin techno|melodic techno|trance|psytrance|hardstyle|"
            "dub techno",
        ),
        (
            G.AMBIENT,
            "ambient|drone|drones|drone music|soundscape|soundscapes|new age|"
            "dark ambient|ambient music|space music",
        ),
        (
            G.DRUM_AND_BASS,
            "dnb|d n b|d & b|d and b|drum and bass|drum n bass|drum & bass|"
            "drumnbass|drumandbass|drum bass|jungle|liquid dnb|liquid funk|"
            "neurofunk|breakbeat|breakcore|liquid drum and bass",
        ),
        (G.DUBSTEP, "dubstep|dub|brostep|riddim|future bass|bass music|deep dubstep"),
        (
            G.SYNTHWAVE,
            "synthwave|synth wave|retrowave|retro wave|outrun|darksynth|dark synth|"
            "vaporwave|chillwave|dreamwave|darkwave|new wave|synth wave music",
        ),
        (
            G.AFROBEATS,
            "afrobeats|afrobeat|afro beats|afro beat|afro|afropop|afro pop|"
            "afrofusion|afro fusion|highlife|naija|amapiano|azonto",
        ),
        (
            G.REGGAETON,
            "reggaeton|reggeaton|dembow|perreo|moombahton|dancehall|latin trap|reggaeton music",
        ),
        (
            G.JAZZ,
            "jazz|bebop|be bop|smooth jazz|jazz fusion|nu jazz|big band|swing|"
            "bossa nova|bossa|neo soul|funk|blues|lounge|acid jazz|spiritual jazz",
        ),
        (
            G.POP,
            "pop|k pop|kpop|j pop|jpop|synth pop|synthpop|electropop|dream pop|indie pop|"
            "bedroom pop|hyperpop|dance pop|city pop|pop punk|r & b|rnb|r n b|"
            "mainstream|top 40|pop music",
        ),
    )
    for phrase in phrases.split("|")
)

# Weights below this are hints; named genres always outrank hinted ones.
HINT_LIMIT = 0.6

# Phrases naming a second genre besides their own: (phrase, genre, weight).
GENRE_BLENDS: tuple[tuple[str, Genre, float], ...] = (
    ("amapiano", G.HOUSE, 0.4),
    ("afro house", G.HOUSE, 1.0),
    ("afro house", G.AFROBEATS, 0.4),
    ("latin trap", G.TRAP, 0.4),
    ("synth pop", G.SYNTHWAVE, 0.4),
    ("synthpop", G.SYNTHWAVE, 0.4),
    ("city pop", G.JAZZ, 0.3),
    ("jazzhop", G.LOFI, 1.0),
    ("jazz hop", G.LOFI, 1.0),
    ("jazzhop", G.JAZZ, 0.4),
    ("jazz hop", G.JAZZ, 0.4),
    ("dub techno", G.DUBSTEP, 0.3),
    ("trip hop", G.LOFI, 0.4),
)

# Hints: instruments, eras and scenes that lean towards a genre without naming it. Hints rank
# genres only when nothing is named outright (HINT_LIMIT).
GENRE_HINTS: tuple[tuple[str, Genre, float], ...] = (
    ("80s", G.SYNTHWAVE, 0.4),
    ("eighties", G.SYNTHWAVE, 0.4),
    ("rave", G.TECHNO, 0.6),
    ("raves", G.TECHNO, 0.6),
    ("warehouse", G.TECHNO, 0.4),
    ("club", G.HOUSE, 0.3),
    ("dance music", G.HOUSE, 0.4),
    ("808", G.TRAP, 0.3),
    ("808s", G.TRAP, 0.3),
    ("sax", G.JAZZ, 0.3),
    ("saxophone", G.JAZZ, 0.3),
    ("log drum", G.AFROBEATS, 0.5),
    ("log drums", G.AFROBEATS, 0.5),
    ("amen break", G.DRUM_AND_BASS, 0.6),
    ("amen breaks", G.DRUM_AND_BASS, 0.6),
    ("wobble", G.DUBSTEP, 0.5),
    ("wobbles", G.DUBSTEP, 0.5),
    ("wobbly", G.DUBSTEP, 0.4),
    ("latin", G.REGGAETON, 0.5),
    ("latino", G.REGGAETON, 0.5),
    ("urbano", G.REGGAETON, 0.5),
    ("cyberpunk", G.SYNTHWAVE, 0.3),
)

# Genre names that also say something about mood: (phrase, mood, weight).
GENRE_MOODS: tuple[tuple[str, Mood, float], ...] = (
    ("chill hop", Mood.CHILL, 0.6),
    ("chillhop", Mood.CHILL, 0.6),
    ("chillwave", Mood.CHILL, 0.4),
    ("dream pop", Mood.DREAMY, 0.8),
    ("dreamwave", Mood.DREAMY, 0.6),
    ("smooth jazz", Mood.CHILL, 0.5),
    ("dark ambient", Mood.DARK, 1.0),
    ("darksynth", Mood.DARK, 0.8),
    ("dark synth", Mood.DARK, 0.8),
    ("darkwave", Mood.DARK, 0.8),
    ("melodic techno", Mood.MELODIC, 0.8),
    ("melodic drill", Mood.MELODIC, 0.8),
    ("liquid dnb", Mood.MELODIC, 0.4),
    ("liquid funk", Mood.MELODIC, 0.4),
    ("neurofunk", Mood.DARK, 0.4),
    ("bedroom pop", Mood.CHILL, 0.3),
    ("pop punk", Mood.ENERGETIC, 0.5),
    ("hard techno", Mood.AGGRESSIVE, 0.4),
    ("lounge", Mood.CHILL, 0.5),
    ("blues", Mood.MELANCHOLIC, 0.5),
    ("spiritual jazz", Mood.MYSTERIOUS, 0.3),
    ("hyperpop", Mood.ENERGETIC, 0.3),
    ("rave", Mood.ENERGETIC, 0.6),
    ("raves", Mood.ENERGETIC, 0.6),
)

# Adjective forms: a target in feedback ("make it jazzier"), only a hint in descriptions
# ("jazzy hip hop" is hip-hop).
GENRE_ADJECTIVES: tuple[tuple[Genre, str], ...] = (
    (G.JAZZ, "jazzy"),
    (G.JAZZ, "jazzier"),
    (G.POP, "poppy"),
    (G.POP, "poppier"),
    (G.HOUSE, "housey"),
    (G.TRAP, "trappy"),
    (G.LOFI, "lofier"),
    (G.AMBIENT, "ambienty"),
    (G.TECHNO, "technoey"),
)
