"""Everyday English words that typo correction leaves alone (each sits near a music word)."""

from __future__ import annotations

COMMON_WORDS: frozenset[str] = frozenset(
    """
    able about above across actually after again against almost alone along already also
    although always among another anything anyway around away back bake band bank base
    based bath beach bear beat beautiful because been before being believe below best
    better between beyond bird bite black blue body bold bone book both bought brain bread
    break bring brother brought build built bunch burn busy call came camp card care cars
    case cast cause chair change charm chart chase cheap check chest child chin city class
    clear close cold come coming cook cool copy core cost could count couple course cover
    crew cute damn dance dare data date days dead deal dear deep desk dial does doing done
    door down drag draw drink drive drop drum dude during each early earn ease east easy
    edge else even ever every exactly face fact fair fall fame fans fast feel feels feet
    fell felt file fill film find fine fire first fish five flat flow folk fond food fool
    foot form four free friend friends from front full fund funny game gave gear gets gift
    girl give given goes going gold gone good gotta grab great green grew grow guess guys
    hair half hall hand hang happen hard hate have head hear heard heart held hell help
    here hers high hill hint hold hole home hope hour house huge idea into itself jump just
    keep kept kick kids kill kind king knew know lady laid lake land lane last late later
    lead learn least leave left less life lift like line list listen little live lone long
    look lose lost loud love made mail main make many mark mate maybe mean meet mind mine
    miss mode more most move much must name near need never news next nice none note
    nothing okay once only open other ours over pack page paid pain pair part past path
    pick piece place plan play please plus point pool poor post pull pure push quite race
    rare rather read real really rest rich ride ring rise road rock role roll room rose
    rule safe said sale same save seem seen self sell send sense sent shall ship shop shot
    show side sign since sing single site size skin slip some song songs soon sort soul
    sound sounds spin spot star start stay step still stop such sure take taken talk tall
    team tell test than thank thanks that them then there these they thing things think
    this those though thought three through time told tone took town tree trip true turn
    type under until upon used user very vibe vibes view wait walk wall want wanted warm
    wash ways wear week well went were west what when where which while white whole wide
    wife will wind wine wish with within without word words work world would write year
    years your yours something anything everything nothing someone anyone everyone
    somewhere anywhere sometimes whatever whenever however maybe probably usually often
    always kinda sorta gonna wanna tracks track stuff hats trios mostly songs artist artists
    producer producing produce album albums playlist playlists listen listening listened
    sample samples loops loop vibe vibes feeling feelings style styles genre genres
    instrumental instrumentals lyrics movie movies films film favorite favourite fave
    inspired inspiration type types sort sorts mood moods tone tones sound soundtrack
    """.split(),  # noqa: SIM905 - a word list reads better as text
)
