"""The words around a name: titles, cues, and the words that say a capitalised word is, or is
not, someone. Lists for names.py, kept apart so that the rules there read as rules."""

from __future__ import annotations

import re

from rbp_journal.privacy.finding import word_set

# Titles in any case ("mrs patel", "MR DAVIES"), and titles only when capitalised, being words
# too ("my sister", "the officer").
TITLES = word_set("mr mrs ms miss mx dr pc dc ds di dci dsi insp sgt cllr rev revd prof hhj")
CAPITAL_TITLES = word_set(
    """father fr sister nurse judge officer detective constable sergeant inspector reverend
    professor councillor doctor imam pastor rabbi canon bishop sir dame lord lady matron"""
)
# Words after which the next capitalised word is a person: family, the field's own words.
CUES = word_set(
    """mum mam mom mother dad father stepdad stepmum step-dad step-mum partner husband wife
    boyfriend girlfriend bf gf ex fiance fiancé fiancée son daughter stepson stepdaughter child
    baby brother sister sibling twin nan nana nanna gran granny grandma grandmother grandad
    grandpa grandfather grandson granddaughter grandchild aunt aunty auntie uncle cousin niece
    nephew friend mate neighbour lodger carer yp cyp client iro sw manager supervisor colleague
    worker teacher headteacher senco midwife hv keyworker mentor named called"""
)
# What never follows a title or a cue as a name.
STOP = word_set(
    """i the a an he she they we it his her their this that and but also not was is has had
    will said says today yesterday tomorrow mum dad nan nana grandma grandad mr mrs ms miss dr
    monday tuesday wednesday thursday friday saturday sunday january february march july
    september october november december police housing school social services health team
    court council nursery hospital education care children family early help duty protection
    plan centre support unit ward office home street road year reception martens barnardo"""
)
NAME_MONTHS = word_set("may june april august")
CONNECTORS = word_set("for of and the on upon")
CONTRACTION = re.compile(r"^[Ii]['\u2019]|['\u2019](?:t|ve|ll|re|d|m)$", re.IGNORECASE)
DETERMINERS = word_set(
    "the a an this these those our his her their my your its some any every no each another"
)
# Lower-case words after a title that are never a surname there ("the dr said it was fine").
NOT_AFTER_TITLE = word_set(
    """and or but said says was is has had will would could should can may might must did
    does do not no yes at in on to for from with by of as if so then than who what when where
    why how all any some"""
)
FAMILY = word_set(
    """family families children kids twins household boys girls brothers sisters siblings
    parents grandparents lads clan"""
)
# A capitalised run holding one of these names a place or an organisation, not a person.
ORG_WORDS = word_set(
    """street st road rd lane avenue ave close drive way court crescent place gardens grove
    terrace hill row square walk mews park parade rise view centre center team service services
    school academy primary college university surgery practice hospital hospice infirmary
    clinic council trust foundation project unit ward club united city town rovers group
    partnership network hub board panel forum office church chapel mosque temple library
    station estate house hall tower home homes housing association society authority
    department ministry agency charity nursery pharmacy shop store cafe café bar pub arms inn
    hotel airport police probation options advice aid army cross minds bank"""
)
# Verbs and the like that say the word before them is someone.
PERSON_NEXT = word_set(
    """said says was is has had told tells asked asks wants wanted came comes come rang rings
    cried seemed seems looked looks showed drew refused missed kept talked talks spoke speaks
    lives lived went goes got gets needs needed thinks thought felt feels gave gives called
    arrived left hung disclosed explained agreed turned shouted laughed smiled sat stayed likes
    liked loves loved hates hated prefers preferred doesn't didn't isn't wasn't won't can't
    couldn't hasn't hadn't knows knew understood answered
    opened brought took tried started stopped slept wore walked ran plays played attended
    engaged became remains appeared mentioned admitted denied reported struggled struggles
    translated moved works worked sleeps cries shouts hit hits keeps"""
)
# After these a capitalised word that is no given name is a place: "in Todmorden", "at Pret".
PLACE_BEFORE = word_set("in into near outside towards across via around at")
MOTION = word_set(
    """move moved moving moves go goes went going gone travel travelled drive drove relocate
    relocated back came come coming fled flew return returned"""
)
# "Heaven's foster carer", "Ruby's dad": a possessive before one of these is someone's.
RELATIONS_AFTER = word_set(
    """mum mam mother dad father nan gran grandma grandad sister brother son daughter baby
    foster carer carers school teacher worker social key partner boyfriend girlfriend friend
    friends aunt aunty auntie uncle cousin room bedroom behaviour placement family nursery
    step stepdad stepmum health support youth"""
)
AGE_OR_ROLE_AFTER = re.compile(
    r"\s*(?:,\s*[0-9]{1,2}\s*,|\(\s*[0-9]{1,2}\s*\)|,\s*(?:mum|mam|dad|nan|the|who|aged?)\b)",
    re.IGNORECASE,
)
