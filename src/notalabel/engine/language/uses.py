"""What people play music for, and the genre a listener would pick for each use.

Only consulted when a description names no style: "music to focus" is lo-fi to most
listeners, "something for the gym" is trap. The DNA marks such a genre as inferred.
"""

from __future__ import annotations

from notalabel.engine.vocabulary import Genre

USE_TERMS: tuple[tuple[Genre, str], ...] = (
    (
        Genre.LOFI,
        "study|studying|homework|exam|exams|revision|reading|read|books|coding|code|"
        "programming|working|at work|focus|focused|focusing|concentrate|concentrating|"
        "concentration|cafe|coffee|rainy day|rainy sunday|writing",
    ),
    (
        Genre.AMBIENT,
        "sleep|sleeping|asleep|fall asleep|bedtime|nap|napping|meditation|meditating|yoga|spa|"
        "massage|floating|space|stars|horror|halloween|spooky|haunted|soundtrack|soundtracks|"
        "film score|train rides",
    ),
    (Genre.TRAP, "gym|lifting|lifting weights|weights|deadlifts|workout|workouts|work out|bench"),
    (Genre.DRUM_AND_BASS, "running|run|runs|jogging|sprints|sprinting|cardio|racing|race"),
    (Genre.HOUSE, "party|parties|partying|dancing|dance|club|clubbing|rave|raving|pregame"),
    (Genre.SYNTHWAVE, "night drive|driving at night|gaming|video games|arcade|retro|neon|cruising"),
    (Genre.POP, "road trip|road trips|summer|singing along|sing along|karaoke"),
    (Genre.JAZZ, "dinner|cooking|cocktail|cocktails|wine|brunch|lounge"),
)
