"""Expected answer types: a question asking "when", "how many", "how long", "how much does it cost",
"at what time", "on which page", "where", "for whom" or "who" wants a passage that states a year,
a number, a duration, an amount of money, a time of day, a page, a place, an audience or an agent
(in its text, or in the heading of its own section). Passages carry one marker term per type they contain
(indexed like words, so BM25 statistics stay honest); questions that ask for a type look for it.
"Combien de monuments" goes further: passages also mark each word that follows a number
("12 monuments"), and the question looks for the marker of the word it counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.analysis import Analyzer, fold

YEAR = "#year"
NUMBER = "#number"
DURATION = "#duration"
PERCENT = "#percent"
MONEY = "#money"
TIME = "#time"  # a time of day: 9h30, 18:00
PAGE = "#page"  # "(p. 14)", "à partir de la slide 22": where in a document
PLACE = "#place"  # "Lieu : Noisy-le-Grand", "📍 182 rue Saint-Honoré", "se tiendra à Nantes": where
AUDIENCE = "#audience"  # "s'adresse principalement aux chefs de projet", "Public : agents": for whom
AGENT = "#agent"  # "animé par Gaëlle Mangeon", "développé par Ars Electronica": who did it
COUNTED = "#n:"  # "#n:modul" marks "3 modules": the passage says how many modules
LABELLED_MARK = "#l:"  # "#l:modul:2" marks "Module 2": the passage names that module
DEFINED = "#d:"  # "#d:dict" marks "DICT : Disponibilité, intégrité…": the passage defines DICT

_NUMBER_WORDS = frozenset(
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente "
    "quarante cinquante soixante cent cents mille two three four five six seven eight nine ten eleven "
    "twelve fifteen twenty thirty forty fifty hundred thousand".split())
# A number, then the word it counts, and maybe the next one ("trois grands axes", "3 ingrédients clés").
_COUNT_RE = re.compile(rf"(?<![\w.,])(\d+|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})"
                       r"\s+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?")
# Adjectives that come before the noun counted: "quatre grands types" counts types, not "3 grands
# enjeux"; "the three key ingredients" counts ingredients.
_BEFORE_NOUN = frozenset(
    "grand grande grands grandes petit petite petits petites principal principale principaux principales "
    "nouveau nouvel nouvelle nouveaux nouvelles gros grosse grosses bon bonne bons bonnes meilleur "
    "meilleure meilleurs meilleures autre autres differents differentes premiers premieres derniers "
    "dernieres main key big major new other different biggest largest best".split())
# Nouns that a number names rather than counts: "module 2", "épisode 6", "article 4".
_LABELLED = frozenset(
    "module modules episode saison article chapitre partie etape niveau version numero tome volume "
    "lot phase annexe section page semaine jour session lettre n no season chapter part step level "
    "issue week day letter number".split())
# "Module 2", "épisode 6", "saison 2", "article 19": a noun and the number that names it.
# Matched on the lowercased text with its accents ("épisode"): folding whole passages is slow.
_LABEL_RE = re.compile(r"\b(" + "|".join(
    "".join("[eéèê]" if c == "e" else c for c in noun)
    for noun in sorted(_LABELLED - {"n", "no", "number", "numero"}, key=len, reverse=True))
    + r")\s*(?:n°\s*|#\s*)?(\d{1,3})(?![\d.,]\d)")
_MONTHS = frozenset("janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
                    "january february march april may june july august september october november december".split())
_BETWEEN = {"more", "other", "extra"}  # stopwords that may stand between a number and what it counts
# Units that two words name: "5 ans" answers "combien d'années".
_SAME_UNIT = {"anne": "an", "journ": "jour"}

# A year, not part of a longer number or of a decimal ("2,2025"); the search reads names with it too.
YEAR_RE = re.compile(r"(?<!\d)(?<!\d[.,])(?:1[89]|20)\d\d(?!\d)(?![.,]\d)")
_NUMBER_RE = re.compile(r"\d")
# "plusieurs centaines d'utilisateurs", "des milliers de visiteurs" answer "combien" without digits
_ROUGH_NUMBER_RE = re.compile(r"\b(?:dizaines?|centaines?|milliers?|millions?|milliards?|dozens|hundreds|"
                              r"thousands|millions|billions)\b", re.I)
_PERCENT_RE = re.compile(r"\d\s*%|\d\s*(?:pour ?cent|percent)\b", re.I)
_UNITS = (r"h|min|mn|minutes?|heures?|jours?|semaines?|mois|ans?|années?|hours?|days?|weeks?|"
          r"months?|years?|secondes?|seconds?")
# Durations in words answer "how long" too: "pendant trois heures", "vingt-cinq minutes", "quelques
# jours", "une demi-journée", "une heure". "Un jour" (someday) and "une semaine" (an event's name)
# are left out.
_WRITTEN_NUMBERS = (r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|"
                    r"cinquante|soixante|cent|quelques|plusieurs|two|three|four|five|seven|eight|nine|ten|"
                    r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|few|several")
_DURATION_RE = re.compile(
    rf"\b\d+(?:[.,]\d+)?\s*(?:{_UNITS})\b|\b\d+h\d*\b"
    rf"|\b(?:{_WRITTEN_NUMBERS})(?:[- ](?:{_WRITTEN_NUMBERS}|et|and|un|une|one))*\s+(?:{_UNITS})\b"
    r"|\b(?:une|one|an)\s+(?:heure|hour|journée|demi-journée|demi-heure)\b"
    r"|\bdemi-(?:journée|heure)s?\b|\bhalf[- ](?:a[- ])?(?:day|an hour|hour)\b", re.I)
_MONEY_RE = re.compile(r"\d\s*(?:(?:milliards?|millions?|mille|billions?|thousand)\s+(?:d['’]\s*|de\s+)?)?"
                       r"(?:(?:k|m|mds?|mrds?)?\s?€|\$|euros?\b|eur\b|usd\b|chf\b|francs?\b|dollars?\b)"
                       r"|[€$]\s*\d", re.I)
_TIME_RE = re.compile(r"(?<![\d.,])(?:[01]?\d|2[0-3])(?:h[0-5]\d|h\b|:[0-5]\d\b)", re.I)

_PAGE_RE = re.compile(r"(?<![\w.])(?:pp?\.|pages?|slides?|diapositives?|diapos?)\s*\d", re.I)
_STATED = ((YEAR, YEAR_RE), (NUMBER, _NUMBER_RE), (DURATION, _DURATION_RE), (PERCENT, _PERCENT_RE),
           (MONEY, _MONEY_RE), (TIME, _TIME_RE), (PAGE, _PAGE_RE))

# Where something happens, as event pages state it: a "Lieu :" line, a pin, a street address, a
# postcode and town, or a verb of taking place before a preposition and a capital.
_PLACE_RE = re.compile(
    r"\bLieu\s*:|📍|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|quai|place|allée|chemin|"
    r"impasse|cours|route)\s|\b\d{5}\s+[A-ZÀ-Ý]|(?:se tien(?:t|dra)|se dérouler?a?|s['’]est (?:tenue?|déroulée?)|"
    r"aura lieu|a eu lieu|a lieu|\b(?:situ|localis|héberg|implant|bas)ée?s?|"
    r"(?:was |were |is |be )?(?:held|hosted|located|based)|t(?:ake|ook)s? place)\s+"
    r"(?:[^.;:\n]{0,40}?\s)?(?:à|au|aux|dans|en|in|at)\s+(?:l['’]|la\s|le\s|les\s|the\s)?[A-ZÀ-Ý]|"
    r"\bsur le territoire (?:national|français|européen|de l['’]Union)")
# Whom something is for: "s'adresse (principalement) aux", "destiné aux", "à destination des",
# "réservé aux", a "Public :" or "Cible :" line, "aimed at", "intended for", "designed for".
_AUDIENCE_RE = re.compile(
    r"s['’]adress(?:e|ent|ait|aient|era|eront)\s+(?:\w+ment\s+|avant tout\s+|en priorité\s+|surtout\s+)?"
    r"(?:à|aux|au)\s|\bdestin[ée]e?s?\s+(?:\w+ment\s+)?(?:à|aux|au)\s|à destination d(?:es|u|e)\s|"
    r"\bréservée?s?\s+aux?\s|^[\s*•-]*(?:public|publics|public cible|\w*cibles?|target|audience)\s*:|"
    r"\b(?:aimed at|intended for|designed for|meant for)\b", re.I | re.M)
# Who did it, as pages say so: "par"/"by" before a name or an organisation, as written
# (capitalised), Markdown marks allowed; a credits line, "Animation : Thierry Lochon"; or a role
# on its own line above the name, as credits lists are laid out ("Restauration et logistique" /
# "Cécile Demaurex").
_BY_NAME = r"(?<![\w])(?:par|by)\s+(?:l['’]|le\s|la\s|les\s|the\s)?[*_\[]*[A-ZÀ-Ý]"
_ROLE_COLON_NAME = (r"^[ \t*•-]*[^\W\d_][\w’'-]*(?:[ \t]+[\w’'-]+){0,3}[ \t]*:"
                    r"[ \t]*[*_\[]*[A-ZÀ-Ý][a-zà-ÿ]+[ \t]+[A-ZÀ-Ý]")
_ROLE_LINE_NAME = (r"^[A-ZÀ-Ý][\w’'-]*(?:[ \t]+[\w’'-]+){0,4}[ \t]*\n(?:Prof\.\s+|Dr\.?\s+)?"
                   r"[A-ZÀ-Ý][a-zà-ÿ’'-]+(?:[ \t]+[A-ZÀ-Ý][\w’'-]+){1,2}[ \t]*(?:,|$)")
_AGENT_RE = re.compile("|".join((_BY_NAME, _ROLE_COLON_NAME, _ROLE_LINE_NAME)), re.M)
# the types a passage states in words, digits or not
_STATED_IN_WORDS = ((AUDIENCE, _AUDIENCE_RE), (PLACE, _PLACE_RE), (AGENT, _AGENT_RE))
# A reference's author and year, as reading notes cite them: "Bourliataux-Lajoinie, S. (2022)",
# "Deakin, T (2022)", "ICART (2022)": who wrote it.
_CITATION_RE = re.compile(r"[A-ZÀ-Ý][\w'’-]+(?:,\s*[A-ZÀ-Ý]\.?(?:\s*[A-ZÀ-Ý]\.?)*)?\s*\((?:19|20)\d\d\)")
_WHO = {"qui", "who"}
_WHO_PAIRS = {("par", "qui"), ("by", "whom"), ("de", "qui")}
_AUDIENCE = {"adresse", "adressent", "destine", "destinee", "destines", "cible", "eligible", "peut",
             "peuvent", "can"}
# "designed" alone asks who designed it: "designed for" asks for whom
_AUDIENCE_PAIRS = {("aimed", "at"), ("intended", "for"), ("meant", "for"), ("designed", "for"),
                   ("allowed", "to")}
_AUDIENCE_LAST = {"for", "at"}  # "Who is module 2 for?"
_AUTHOR = {"auteur", "auteurs", "autrice", "autrices", "author", "authors"}
_WHEN = {"quand", "when"}
# Words that ask where something takes place (see _asks_where, _names_a_place)
_WHERE = {"ou", "where"}
_TAKING_PLACE = {"tient", "tiendra", "tenu", "tenue", "deroule", "deroulera", "deroulee", "lieu", "passe",
                 "passera", "situe", "situee", "trouve", "held", "located", "place", "venue", "est", "etait",
                 "sera", "is", "was", "will"}
_TAKEN_PLACE = {"held", "located", "place", "hosted", "lieu", "tenu", "tenue", "deroule", "deroulee"}
# "Où est publiée la lettre ?", "where is the report available?": a site or a link, not a venue
_PUBLISHED = {"publie", "publiee", "publies", "publiees", "published", "disponible", "disponibles", "available",
              "consultable", "consultables", "telechargeable", "telechargeables", "downloadable"}
_PLACE_WORDS = {"venue", "lieu", "adresse", "address"}
_TOWN_WORDS = {"ville", "city"}  # after "quelle", "which": not "la ville de Paris" as a subject
# Question words that ask something else: after them, an opening "quand"/"when" only sets the scene
# ("When a collector picks up our waste, who issues the form?", "Quand on donne un PC, qui paie ?").
_OTHER_ASKING = {"qui", "quoi", "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "combien",
                 "who", "whom", "what", "which", "how", "where", "why", "faut", "doit", "dois", "peut",
                 "should", "must", "can", "do", "does"}
_JOINING = {"et", "ou", "par", "and", "or", "by"}
_BE = {"etait", "est", "sera", "etaient", "sont", "seront", "is", "was", "are", "were", "will"}  # "c'était quand"
# Raw question words (folded) or word pairs that ask for each type.
_ASKS = {
    YEAR: (set(), {("quelle", "annee"), ("en", "quelle"), ("what", "year"), ("which", "year"),
                               ("quelle", "date"), ("what", "date"), ("depuis", "quand"), ("since", "when"),
                               ("quel", "jour"), ("what", "day"), ("which", "day")}),
    NUMBER: ({"combien", "nombre"}, {("how", "many"), ("how", "much"), ("de", "combien")}),
    MONEY: ({"montant", "prix", "cout", "coute", "couts", "tarif", "budget", "price", "cost", "costs"},
            {("d", "argent"), ("much", "money")}),  # "combien d'argent", not "chercher de l'argent"
    TIME: ({"horaire", "horaires"}, {("quelle", "heure"), ("what", "time")}),
    PERCENT: ({"pourcentage", "percentage", "proportion"},
              {("quelle", "part"), ("what", "share"), ("what", "part")}),
    PAGE: (set(), {("quelle", "page"), ("quelles", "pages"), ("which", "page"), ("what", "page"),
                   ("which", "pages"), ("what", "pages"), ("quelle", "slide"), ("which", "slide"),
                   ("quelle", "diapositive")}),
    DURATION: ({"duree", "durer", "dure", "long"},
               {("combien", "temps"), ("combien", "temp"), ("how", "long"), ("how", "often"),
                ("quelle", "frequence"), ("quel", "age"), ("what", "age")}),
}


# Words that only name the type asked for, after a question word: "en quelle année", "combien de
# temps", "what year". The answer states the value ("créé en 2018") and seldom repeats the word.
_TYPE_WORDS = {"annee", "annees", "year", "years", "date", "jour", "day", "temps", "temp", "heure", "time",
               "argent", "money", "part", "share", "age", "page", "pages", "slide", "diapositive"}
# The question words themselves, once the type they ask for is known: "combien" is not a topic.
ASKING_WORDS = {"combien", "quand", "depuis quand", "how much", "how many", "how long", "how often"}
_WHICH = {"quelle", "quel", "what", "which", "combien"}
_BEFORE_TYPE_WORD = _WHICH | {"de", "d", "a", "en"}  # "quelle année", "combien de temps"


def question_words() -> frozenset[str]:
    """The words of four letters or more that ask for a type ("combien", "année", "quelle"):
    the ones a misspelling of the question is read back to (see expand)."""
    words = set(_TYPE_WORDS) | _OTHER_ASKING | _WHERE
    for single, pairs in _ASKS.values():
        words |= single | {word for pair in pairs for word in pair}
    return frozenset(word for word in words if len(word) >= 4)


def type_words(raw: Sequence[str]) -> set[int]:
    """Positions of the words that name the asked type: "année" in "en quelle année"."""
    found = {i for i, w in enumerate(raw) if w in _TYPE_WORDS and i and raw[i - 1] in _BEFORE_TYPE_WORD
             and _WHICH & set(raw[max(0, i - 2):i])}
    return found | {i for i, w in enumerate(raw[:-1]) if w == "depuis" and raw[i + 1] == "quand"}


def markers(text: str) -> list[str]:
    """The answer types a passage's text states, one marker each."""
    in_words = [marker for marker, pattern in _STATED_IN_WORDS if pattern.search(text)]
    if _CITATION_RE.search(text) and AGENT not in in_words:
        in_words.append(AGENT)
    if not _NUMBER_RE.search(text):  # every other type but a rough number or a duration is stated with digits
        return (([NUMBER] if _ROUGH_NUMBER_RE.search(text) else [])
                + ([DURATION] if _DURATION_RE.search(text) else []) + in_words)
    return [marker for marker, pattern in _STATED if pattern.search(text)] + in_words


# A section's own heading that names what it states: "## Public", "## À qui s'adresse la
# formation ?", "## Lieu". Its text ("Agent public d'État travaillant dans le numérique") then
# answers for whom or where without saying so.
_HEADING_STATES = (
    (AUDIENCE, re.compile(r"^(?:publics?(?:\s+(?:cibles?|concernés?|visés?|de la formation))?|cibles?|"
                          r"à qui s['’]adresse\b.*|pour qui\b.*|audience|target audience|who is it for\b.*)$",
                          re.I)),
    (PLACE, re.compile(r"^(?:lieu|lieux|adresse|où\b.*|venue|location)$", re.I)),
    (AGENT, re.compile(r"^(?:contributeur|contributrice|intervenant|intervenante|conférencier|conférencière|"
                       r"speaker|auteur|autrice|organisateur|organisatrice|animateur|animatrice|"
                       r"contributor|author)(?:e?s|·e·s|\(e\)s)?$|^(?:équipe(?: projet)?|partenaires(?: du projet)?|"
                       r"crédits|modération|animation)$", re.I)),
)


def heading_markers(heading: str) -> list[str]:
    """The answer types a section's own heading says its text states."""
    heading = heading.strip(" ?:*").strip()
    return [marker for marker, pattern in _HEADING_STATES if pattern.match(heading)]


def counted(text: str, analyzer: Analyzer) -> list[str]:
    """One marker per word that follows a number: "12 monuments" -> "#n:monu"."""
    found: list[str] = []
    for match in _COUNT_RE.finditer(text.lower()):  # accents stay: the analyzer needs them
        number = match.group(1)
        if YEAR_RE.fullmatch(number):
            continue
        if fold(match.group(2)) in _MONTHS:
            continue  # "17 mars" is a date, not 17 of something
        for word in match.group(2, 3):
            terms = analyzer.terms(word) if word else []
            if len(terms) != 1:
                break  # a stopword ends the counted words: "12 monuments qui évalue"
            marker = counted_marker(terms[0])
            if marker not in found:
                found.append(marker)
    return found


# Nouns whose number names a unit of content ("Module 3 - Évaluer…" in a list of modules); an
# "article 19" or a "page 14" in running text is a reference, not what the passage is.
_CONTENT_UNITS = frozenset("module modules episode saison chapitre season chapter".split())


def labelled(text: str, analyzer: Analyzer, units_only: bool = False) -> list[str]:
    """One marker per noun and the number that names it: "Module 2" -> "#l:modul:2"; with
    `units_only`, only for units of content (modules, episodes, seasons, chapters)."""
    found: list[str] = []
    for match in _LABEL_RE.finditer(text.lower()):
        noun = fold(match.group(1))
        if units_only and noun not in _CONTENT_UNITS:
            continue
        marker = labelled_marker(analyzer.stem(noun), match.group(2))
        if marker not in found:
            found.append(marker)
    return found


# Where notes define a term: a glossary line ("DICT : Disponibilité, intégrité…", "Énergie grise :
# l'énergie…"), an acronym and its expansion ("GLAMs (Galleries, Libraries…)"), a term in brackets
# after what it means ("réduire l'empreinte du numérique (Green for IT)"), a verb that defines
# ("l'énergie grise désigne…") and "la définition de la numérisation".
_GLOSSARY_LINE = re.compile(r"^[\s*•-]*([^\W\d_][^:\n]{0,48}?)\s*:\s*(\S[^\n]*)", re.M)
_ACRONYM = re.compile(r"[A-Z][\w-]*[A-Z][\w-]*")
_ACRONYM_EXPANDED = re.compile(rf"\b({_ACRONYM.pattern})\s*\(([^()\n]{{5,150}})\)")
# (Each pattern starts at a bracket or a verb: a pattern that tries every word of a passage as a
# possible start made indexing three times slower.)
_BRACKETED_TERM = re.compile(r"(?<=\w)\s?\(\s*([^()\n]{2,40}?)\s*\)")
# Verbs that define the words before them; the list also says which passages are worth the regex.
_DEFINING_VERBS = ("désigne", "signifie", "se définit", "est défini", "veut dire", "correspond à", "stand for",
                   "stands for", "refer to", "refers to", "is defined")
_DEFINING_VERB = re.compile(rf"(?<=\w),?\s+(?:{'|'.join(map(re.escape, _DEFINING_VERBS))})\b", re.I)
_LAST_WORDS = re.compile(r"(?:[^\W\d_][\w’'-]*\s+){0,2}[^\W\d_][\w’'-]*$")
_DEFINITION_OF = re.compile(r"\bd[ée]finition (?:de la |de l['’]|du |des |de |d['’]|of (?:the )?)"
                            r"((?:[^\W\d_][\w’'-]*\s*){1,2})", re.I)


def defined(text: str, analyzer: Analyzer) -> list[str]:
    """Markers of the terms the text defines: "DICT : Disponibilité…" -> "#d:dict"; a term of
    several words gets one per word and one for the whole ("(Green for IT)" -> "#d:green+it")."""
    # "Term : text" lines define in a glossary (three or more such lines) or for an acronym ("ACV :
    # analyse du cycle de vie"); elsewhere they state facts ("Lieu : Paris", "Objectif : …").
    # (each pattern runs only on a text with its telltale character: most passages have none)
    lines = [(term, definition) for term, definition in (_GLOSSARY_LINE.findall(text) if ":" in text else ())
             if len(term.split()) <= 4 and len(definition.split()) >= 2]
    glossary = sum(len(definition.split()) >= 4 for _, definition in lines) >= 3
    terms = [term for term, definition in lines if _ACRONYM.fullmatch(term)
             or glossary and len(definition.split()) >= 4]
    if "(" in text:
        terms += [m.group(1) for m in _ACRONYM_EXPANDED.finditer(text)]
        # a bracketed name or acronym after what it means: "(Green for IT)", "(RGESN)"; not "(lien ici)"
        terms += [m.group(1) for m in _BRACKETED_TERM.finditer(text) if m.group(1)[0].isupper()
                  and len(m.group(1).split()) <= 4 and not _NUMBER_RE.search(m.group(1))]
    lowered = text.lower()
    if any(verb in lowered for verb in _DEFINING_VERBS):
        for verb in _DEFINING_VERB.finditer(text):  # the (up to three) words before the verb
            before = _LAST_WORDS.search(text, max(0, verb.start() - 80), verb.start())
            if before:
                terms.append(before.group(0))
    if "finition" in lowered:
        terms += [m.group(1) for m in _DEFINITION_OF.finditer(text)]
    found: list[str] = []
    for term in terms:
        words = analyzer.terms(term)
        # each word ("DICT"), and a term of several words as a whole, in any order: "IT for
        # Green" is not defined by "(Alliance Green IT)"
        for marker in [defined_marker((w,)) for w in words] + ([defined_marker(words)] if len(words) > 1 else []):
            if marker not in found:
                found.append(marker)
    return found


def defined_marker(terms: Sequence[str]) -> str:
    return DEFINED + "+".join(sorted(set(terms)))


# Question words that ask what a term means; "veut dire" and "stand for" come in pairs.
# ("Quelle loi a défini l'obsolescence programmée ?" asks for the law: the past participle is
# left out; "comment Fabien Morf définit-il le marketing ?" asks what it is.)
_DEFINING_WORDS = {"definition", "definitions", "definit", "definissent", "definir", "signification",
                   "signifie", "signifient", "sigle", "acronyme", "acronym", "meaning", "define", "defines"}
_DEFINING_PAIRS = {("veut", "dire"), ("veulent", "dire"), ("stand", "for"), ("stands", "for")}
_MEAN = {"mean", "means"}  # also a noun: "limited means", "by means of"


def definition_asked(raw: Sequence[str]) -> set[str]:
    """The words of a question (folded, stopwords kept) that ask for a definition; empty if none."""
    raw = [part for word in raw for part in word.split("-")]  # "définit-il"
    found = {w for w in raw if w in _DEFINING_WORDS}
    for i, word in enumerate(raw):
        if word in _MEAN and _asks_what_it_means(raw, i):
            found.add(word)
    for pair in _DEFINING_PAIRS & set(zip(raw, raw[1:], strict=False)):
        found |= set(pair)
    return found


def _asks_what_it_means(raw: Sequence[str], i: int) -> bool:
    """"What does ICO mean?", "what GLAM means": the verb after "what" (and "does" for "mean"),
    not the noun ("limited means", "by means of")."""
    before = set(raw[:i])
    if "what" not in before or (i and raw[i - 1] == "by") or raw[i + 1 : i + 2] == ["of"]:
        return False
    return raw[i] == "means" or bool(before & {"do", "does", "did"})


def labelled_marker(noun_term: str, number: str) -> str:
    return f"{LABELLED_MARK}{noun_term}:{int(number)}"


def counted_marker(term: str) -> str:
    return COUNTED + _SAME_UNIT.get(term, term)


def counted_asked(raw: Sequence[str], stop: frozenset[str] = frozenset()) -> list[int]:
    """Positions of the words a question asks the number of: "combien de modules", "how many
    modules", "nombre de monuments", or a number it names itself ("the three key ingredients",
    but not "module 2 du MOOC": a stopword after the number ends the counted words)."""
    wanted: list[int] = []
    for i, word in enumerate(raw):
        if word in ("combien", "nombre") and i + 2 < len(raw) and raw[i + 1] in ("de", "d"):
            if raw[i + 2] not in ("temps", "temp", "fois"):  # "combien de temps" asks for a duration
                wanted.append(i + 3 if raw[i + 2] in _BEFORE_NOUN and i + 3 < len(raw) else i + 2)
        elif word == "many" and i and raw[i - 1] == "how":
            wanted.append(i + 2 if raw[i + 1] in _BEFORE_NOUN and i + 2 < len(raw) else i + 1)
        elif word in _NUMBER_WORDS or word.isdigit() and not YEAR_RE.fullmatch(word):
            if labels_before(raw, i):
                continue  # "module 2 take": the number names the module, it counts nothing
            if i + 1 < len(raw) and raw[i + 1] in _MONTHS:
                continue  # "du 17 mars": a date
            first = i + 2 if i + 1 < len(raw) and raw[i + 1] in _BETWEEN else i + 1  # "3 more years"
            for j in (first, first + 1):
                if j >= len(raw) or raw[j] in stop:
                    break
                if raw[j] not in _BEFORE_NOUN:
                    wanted.append(j)
    return [i for i in dict.fromkeys(wanted) if i < len(raw)]


def labels_before(raw: Sequence[str], i: int) -> bool:
    """raw[i] is a number that names what comes before it: "module 2", "épisode 6"."""
    return i > 0 and raw[i - 1] in _LABELLED


def labels_follow(raw: Sequence[str], i: int, reach: int = 4) -> bool:
    """A noun that numbers name follows raw[i] closely: "the third NumEco module", "premier
    épisode". Then the ordinal is the number of a label ("Module 3"), not a rank ("the first
    law in the world")."""
    return any(word in _LABELLED for word in raw[i + 1 : i + 1 + reach])


def _sets_the_scene(raw: Sequence[str], when: int) -> bool:
    """An opening "when" followed by a clause, then another question word: the clause sets the
    scene. "Quand et où", "when and by whom" still ask a date."""
    for j in range(when + 1, len(raw)):
        asking = raw[j].split("-")[0] in _OTHER_ASKING or raw[j].startswith("est-ce")  # "est-ce que ça change"
        if asking and not set(raw[when + 1 : j]) <= _JOINING:
            return True
    return False


def asked(raw: list[str]) -> list[str]:
    """The answer types a question (folded raw words, stopwords kept) asks for."""
    pairs = set(zip(raw, raw[1:], strict=False))
    # "combien de temps", "combien d'argent": the pair skips the "de" between
    pairs |= {(a, c) for a, b, c in zip(raw, raw[1:], raw[2:], strict=False) if b in ("de", "d")}
    wanted = []
    # "quand"/"when" asks for a date where it opens the question ("Quand a été créé…", "Since when")
    # or follows "to be" ("c'était quand ?"), not where it joins two clauses ("faut-il … quand on
    # offre …").
    opening = next((i for i, w in enumerate(raw[:2]) if w in _WHEN), None)
    if opening is not None and _sets_the_scene(raw, opening):
        opening = None
    if opening is not None or any(w in _WHEN and raw[i - 1] in _BE for i, w in enumerate(raw) if i):
        wanted.append(YEAR)
    for marker, (words, word_pairs) in _ASKS.items():
        if marker not in wanted and (words.intersection(raw) or word_pairs & pairs):
            wanted.append(marker)
    if DURATION in wanted and "long" in raw and ("how", "long") not in pairs:
        wanted.remove(DURATION)  # "long" alone is an adjective, not "how long"
    if PAGE in wanted and {("page", "web"), ("page", "internet"), ("web", "page")} & pairs:
        wanted.remove(PAGE)  # "quelle page web" asks which page of a site, not a page number
    if NUMBER in wanted and len(wanted) > 1:
        wanted.remove(NUMBER)  # the more precise type says it already
    if _asks_where(raw) or not wanted and _names_a_place(raw):
        wanted.append(PLACE)
    if _asks_who(raw, pairs):
        wanted.append(AGENT)
    elif _asks_for_whom(raw, pairs):
        wanted.append(AUDIENCE)
    return wanted


def _asks_where(raw: Sequence[str]) -> bool:
    """"Où se tient l'atelier ?", "Where was the workshop held?", "c'est où ?": a place. Not "où
    trouver le guide", "where can I read…" or "où est publiée…": those ask for a link."""
    if _PUBLISHED & set(raw):
        return False
    for i, word in enumerate(raw):
        if word not in _WHERE:
            continue
        if set(raw[i + 1 : i + 4]) & _TAKING_PLACE:
            if word == "where" or raw[i + 1] in ("se", "s", "a", "aura", "est", "etait", "sera"):
                return True
            continue  # folded "où" is also "ou" (or): "en ligne ou en présentiel"
        # "Where did the workshop take place?": the verb comes last ("ou" opening a question is "où")
        if (word == "where" or i == 0) and set(raw[i + 1 :]) & _TAKEN_PLACE:
            return True
    return bool(raw) and raw[-1] in _WHERE and len(raw) > 1 and raw[-2] in _BE  # "c'est où ?"


def _names_a_place(raw: Sequence[str]) -> bool:
    """"lieu du lancement", "à quelle adresse", "in which city": a place, where nothing else is asked ("quand
    ouvre le lieu d'exposition" asks a date). Not "au lieu de" (instead of), "à qui s'adresse",
    "adresse mail"."""
    for i, word in enumerate(raw):
        if word in _TOWN_WORDS and i and raw[i - 1] in _WHICH:
            return True
        if word in _PLACE_WORDS and (i == 0 or raw[i - 1] not in ("au", "a", "aura", "avoir", "eu", "s")):
            if (raw[i + 1] if i + 1 < len(raw) else "") not in ("mail", "email", "e", "courriel", "electronique"):
                return True
    return False


_FOR_WHOM_PAIRS = {("pour", "qui"), ("for", "whom"), ("quel", "public"), ("quels", "publics"),
                   ("quels", "profils"), ("quel", "profil"), ("public", "cible"), ("public", "vise")}


def _asks_for_whom(raw: Sequence[str], pairs: set[tuple[str, str]]) -> bool:
    """"À qui s'adresse…", "pour quel public", "pour quels profils", "Who is module 2 for?", "aimed
    at", "qui peut suivre…": an audience."""
    if _FOR_WHOM_PAIRS & pairs:
        return True
    return bool((raw and raw[0] in _WHO or _WHO_PAIRS & pairs or ("a", "qui") in pairs)
                and _about_audience(raw, pairs))


def _about_audience(raw: Sequence[str], pairs: set[tuple[str, str]]) -> bool:
    return bool(_AUDIENCE_LAST & set(raw[-1:]) or _AUDIENCE & set(raw) or _AUDIENCE_PAIRS & pairs)


def _asks_who(raw: Sequence[str], pairs: set[tuple[str, str]]) -> bool:
    """"Qui a piloté…", "Who created…", "des travaux de qui", "auteur du guide": an agent. Not
    "who … aimed at", "qui peut suivre…", "à qui s'adresse…": those ask for an audience."""
    if _AUTHOR & set(raw) and not ({("droit", "d"), ("droits", "d")} & pairs):  # "droit d'auteur"
        return True
    if not (raw and raw[0] in _WHO or _WHO_PAIRS & pairs):
        return False
    return not _about_audience(raw, pairs)
