"""Question words -> concepts: each word with its translations, synonyms and typo corrections.

Cross-language retrieval the classic way (structured query translation): an English word becomes
a concept whose alternatives are the word itself and its French translations found in the index;
the search counts a concept once, by its best alternative (dis_max), so a word with five
translations weighs no more than a word with one.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bot import cues
from bot.analysis import Analyzer, Word, fold, lower, prepared, stopwords, strip_marks
from bot.glossary import Glossary, french_cognates
from bot.index import Postings
from bot.query import without_quotes
from bot.search import DOMAIN, Alternative, Concept, Understood
from bot.sites import CorpusConfig
from bot.store import IndexFiles
from bot.synonyms import SynonymSet, load_synonyms
from bot.typos import TypoIndex, doubled_spellings, doubling, one_edit_spellings

TRANSLATION_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.8
COGNATE_WEIGHT = 0.8  # "psychological" -> "psychologique": a guess from the ending, that the notes confirm
TYPO_WEIGHT = {1: 0.8, 2: 0.6}
# Members often type French without accents ("musees", "detachees"). Folding makes most such words
# meet their accented forms, but the stemmer's accented endings (-ée, -és, -ité) do not fire on
# "-ee", "-es", "-ite": these are the letters, near the end, whose accent changes the stem.
ACCENT_TAIL = 4
# A word's family: the stemmer leaves "certifiante" (certifi) and "certification" (certif)
# apart. A word also finds the terms that extend its stem by up to FAMILY_LONGER letters, or that
# it extends by up to FAMILY_SHORTER, for stems of at least FAMILY_MIN letters: the FAMILY_SIZE
# most frequent, weighted FAMILY_WEIGHT (half a word: a relative, not the word).
FAMILY_MIN = 5
FAMILY_LONGER = 3
FAMILY_SHORTER = 2
FAMILY_WEIGHT = 0.5
FAMILY_SIZE = 3
_ACCENTED_E = ("e", "é", "è")
# A domain's own name alone ("mentor" for "mentor.gouv.fr"), where a passage lacks the whole domain.
DOMAIN_NAME_WEIGHT = 0.8
CUE_WEIGHT = 3.0  # a stated answer type counts like a question word of this idf
AGENT_WEIGHT = 1.5  # "par <Name>" is in many passages that answer no "who": a lighter cue
# "12 monuments" answers "combien de monuments" more surely than a passage that repeats more of
# the question's other words (a note's introduction does): the marker weighs like two words. At
# three, a rare counted word ("40 salariés" in a podcast) outweighed the rest of the question.
COUNTED_WEIGHT = 2.0
RARE_DF = 2
LARGE_VOCABULARY = 30_000  # a word this rare, next to a much more common neighbour, may be a typo too
# Number words up to twelve, by value.
_NUMBER_NAMES = {
    "1": ("one",), "2": ("two", "deux"), "3": ("three", "trois"), "4": ("four", "quatre"),
    "5": ("five", "cinq"), "6": ("six",), "7": ("seven", "sept"), "8": ("eight", "huit"),
    "9": ("nine", "neuf"), "10": ("ten", "dix"), "11": ("eleven", "onze"), "12": ("twelve", "douze")}
# Ordinals up to tenth: "the third module" is "Module 3", "le troisième module", "3e module".
_ORDINALS = {
    "1": ("first", "premier", "premiere", "1er", "1re", "1st"), "2": ("second", "deuxieme", "2e", "2nd"),
    "3": ("third", "troisieme", "3e", "3rd"), "4": ("fourth", "quatrieme", "4e", "4th"),
    "5": ("fifth", "cinquieme", "5e", "5th"), "6": ("sixth", "sixieme", "6e", "6th"),
    "7": ("seventh", "septieme", "7e", "7th"), "8": ("eighth", "huitieme", "8e", "8th"),
    "9": ("ninth", "neuvieme", "9e", "9th"), "10": ("tenth", "dixieme", "10e", "10th")}
# "Combien de personnes" is answered by a count of any kind of people.
_PEOPLE = {"personnes", "personne", "gens", "people", "persons"}
_PEOPLE_NOUNS = ("utilisateurs", "visiteurs", "agents", "participants", "inscrits", "apprenants", "membres",
                 "habitants", "salariés", "collaborateurs", "élèves", "étudiants", "personnes")
_ENGLISH_OPENERS = frozenset("what which who whom whose where when why how is are was were does do did can "
                             "could should would will has have".split())
_SPLIT_EXPRESSIONS = {"who": ("for", "whom"), "whom": ("for", "whom"), "what": ("what", "for")}
_RAW_WORD = re.compile(r"\d+(?:[.,]\d+)+|[a-z0-9]+(?:[-'][a-z0-9]+)*")  # "3,8" stays one number


@dataclass
class Expansion:
    """Which expansions are on; a corpus whose notes are not French gets no translation."""

    translate: bool = True
    synonyms: bool = True
    typos: bool = True


class Expander:
    def __init__(self, postings: Postings, analyzer: Analyzer, glossary: Glossary | None,
                 synonyms: SynonymSet, options: Expansion | None = None) -> None:
        self.postings = postings
        self.analyzer = analyzer
        self.glossary = glossary
        self.synonyms = synonyms
        self.options = options or Expansion(translate=glossary is not None)
        self._en = stopwords("en") - stopwords("fr")
        self._fr = stopwords("fr") - stopwords("en")
        self._number_names = {value: tuple(t for n in names for t in analyzer.terms(n))
                              for value, names in _NUMBER_NAMES.items()}
        self._number_values = {t: value for value, terms in self._number_names.items() for t in terms}
        self._ordinal_forms = {value: tuple(t for n in names for t in analyzer.terms(n))
                               for value, names in _ORDINALS.items()}
        self._ordinal_values = {t: value for value, terms in self._ordinal_forms.items() for t in terms}

    @classmethod
    def for_index(cls, files: IndexFiles, analyzer: Analyzer,
                  configs: Sequence[CorpusConfig]) -> Expander:
        french = any("fr" in c.languages and c.translate for c in configs) or not configs
        glossary = Glossary.load([p for c in configs for p in c.glossaries]) if french else None
        synonyms = load_synonyms([p for c in configs for p in c.synonyms], analyzer)
        return cls(files.postings, analyzer, glossary, synonyms, Expansion(translate=french))

    @cached_property
    def typo_index(self) -> TypoIndex:
        """Built on the first unknown word. In a large garden, words found in a single passage
        are left out: they are mostly names and typos themselves, and would double its size."""
        vocab = self.postings.vocab
        if len(vocab) > LARGE_VOCABULARY:
            df = np.diff(np.asarray(self.postings.post_ptr))
            vocab = [vocab[i] for i in np.flatnonzero(df >= 2).tolist()]
        return TypoIndex(vocab, self.postings.df)

    def language(self, raw: list[str]) -> str:
        """'en', 'fr' or '' from the stopwords a question uses (short keyword lists have none).
        An English question word or auxiliary that opens the question counts double: "Which
        publisher released L'envers de la tech?" names a French title without quotes."""
        en = sum(w in self._en for w in raw) + (bool(raw) and raw[0] in _ENGLISH_OPENERS)
        fr = sum(w in self._fr for w in raw)
        if en and fr and self.glossary is not None:  # a mixed question: its other words vote too
            en += sum(w in self.glossary and w not in self._french_words for w in raw)
            fr += sum(w in self._french_words and w not in self.glossary for w in raw)
        return "en" if en > fr else "fr" if fr > en else ""

    def expand(self, words: list[Word], understood: Understood) -> list[Concept]:
        # The raw words, as the analyzer saw them: "au cours de" is not about a "cours".
        raw = _RAW_WORD.findall(strip_marks(prepared(understood.text)).replace("'", " "))
        unquoted = _RAW_WORD.findall(fold(without_quotes(understood.question)).replace("'", " "))
        understood.language = self.language(unquoted) or self.language(raw)
        if self._translating(understood):
            concepts = self._translated(raw, words, understood)
        elif self.options.translate and self.glossary is not None:  # a French question
            concepts = self._translated(raw, words, understood, expressions_only=True)
        else:
            concepts = [Concept.of_word(w) for w in words]
        concepts = self._domains_as_one(understood.text, concepts)
        concepts = self._compounds_as_one(words, concepts)
        if self.options.synonyms:
            concepts = self._with_synonyms(concepts)
        for concept in concepts:  # each step leaves a word alone once an earlier one understood it
            self._add_accented(concept)
            self._add_conjugated(concept)
            if self.options.typos:
                self._add_typos(concept)
            self._add_family(concept)
        understood.notes += [f"'{c.surface}' is not in the notes" for c in concepts
                             if c.exact and not self.postings.df(c.alternatives[0].terms[0])]
        self._add_number_forms(raw, concepts)
        self._add_counted(raw, concepts)
        self._add_cues(raw, concepts)
        # "veut dire" is a locution the analysis drops, so it is looked for in the text as typed
        self._add_definition(_RAW_WORD.findall(fold(understood.text).replace("'", " ")), concepts)
        return concepts

    def _domains_as_one(self, text: str, concepts: list[Concept]) -> list[Concept]:
        """A domain name ("ecoresponsable.numerique.gouv.fr") is one notion, looked for as its
        words together: as four concepts, its rare parts ("gouv", "fr") outweighed the rest of
        the question, and any page naming the site came first."""
        for match in DOMAIN.finditer(text):
            parts = fold(match.group(0)).split(".")
            terms = tuple(self.analyzer.terms(" ".join(parts)))
            at = _run_of(concepts, parts)
            if len(terms) < 2 or len(at) < 2:
                continue
            whole = Concept(fold(match.group(0)), [Alternative(terms, 1.0, "word", match.group(0))])
            name = next(p for p in parts if p != "www")  # "mentor" in "mentor.gouv.fr" says most
            own = tuple(self.analyzer.terms(name))
            if len(own) == 1 and self.postings.df(own[0]):
                whole.alternatives.append(Alternative(own, DOMAIN_NAME_WEIGHT, "word", name))
            concepts = _merged(concepts, at, whole)
        return concepts

    def _compounds_as_one(self, words: list[Word], concepts: list[Concept]) -> list[Concept]:
        """A hyphenated word ("ADEME-Arcep", "éco-conception") is one notion: its parts and its
        whole are alternatives of one concept, not three concepts that count it three times."""
        spans: dict[tuple[int, int], list[Word]] = {}
        for word in words:
            spans.setdefault((word.start, word.end), []).append(word)
        for group in spans.values():
            if len(group) < 3:
                continue
            *parts, whole = group
            # the run the hyphenated word produced, not the same word asked elsewhere
            at = _run_of(concepts, [w.surface for w in group])
            if len(at) != len(group):
                continue
            merged = Concept(whole.surface, [Alternative((whole.term,), 1.0, "word", whole.surface),
                                             Alternative(tuple(w.term for w in parts), 1.0, "word",
                                                         " ".join(w.surface for w in parts))])
            concepts = _merged(concepts, at, merged)
        return concepts

    def _add_number_forms(self, raw: list[str], concepts: list[Concept]) -> None:
        """"three" also finds "3" and "trois", when it counts something ("which one has" is a
        pronoun); "3" also finds "trois"; but "module 3" names the module, so it finds the
        passages marked as naming "Module 3" (see cues.labelled); and an ordinal before such a
        noun, "the third module", finds "3" and its other spellings ("troisième", "3e")."""
        for concept in concepts:
            alt = concept.alternatives[0]
            if len(alt.terms) != 1 or alt.why != "word":
                continue
            term = alt.terms[0]
            at = [i for i, word in enumerate(raw) if word == concept.surface]
            labels = [raw[i - 1] for i in at if term.isdigit() and cues.labels_before(raw, i)]
            if labels:
                forms = [(cues.labelled_marker(self.analyzer.stem(noun), term), "label", f"{noun} {term}")
                         for noun in labels]
            elif term in self._ordinal_values and any(cues.labels_follow(raw, i) for i in at):
                value = self._ordinal_values[term]
                forms = [(form, "number", form) for form in [value, *self._ordinal_forms[value]]]
            elif term.isdigit() or term in self._number_values and any(
                    i + 1 < len(raw) and raw[i + 1] not in self.analyzer.stop for i in at):
                value = self._number_values.get(term, term)
                forms = [(form, "number", form) for form in [value, *self._number_names.get(value, ())]]
            else:
                continue
            for form, why, shown in forms:
                if form != term and self.postings.df(form) and all(a.terms != (form,) for a in
                                                                     concept.alternatives):
                    concept.alternatives.append(Alternative((form,), 1.0, why, shown))

    def _add_counted(self, raw: list[str], concepts: list[Concept]) -> None:
        """"combien de modules", "how many modules": also look for "3 modules" (see cues.counted)."""
        for i in cues.counted_asked(raw, self.analyzer.stop):
            concept = next((c for c in concepts if raw[i] in c.surface.split()), None)
            if concept is None or concept.surface.startswith("("):
                continue
            alts = []
            counted = [(alt.terms, alt.weight) for alt in concept.alternatives]
            if raw[i] in _PEOPLE:  # "combien de personnes": users, visitors, agents are people
                counted += [((self.analyzer.stem(noun),), SYNONYM_WEIGHT) for noun in _PEOPLE_NOUNS]
            for terms, weight in counted:
                # a phrase is counted by its head noun: first in French ("deux réseaux sociaux"),
                # last in English ("two social networks")
                for term in dict.fromkeys((terms[0], terms[-1])):
                    marker = cues.counted_marker(term)
                    if self.postings.df(marker) and all(a.terms != (marker,) for a in alts):
                        alts.append(Alternative((marker,), weight * COUNTED_WEIGHT, "counted", marker))
            if alts:
                concepts.append(Concept(f"(number of {concept.surface})", alts))

    def _add_cues(self, raw: list[str], concepts: list[Concept]) -> None:
        """"quand", "how many", "combien de temps": look for a year, a number, a duration instead
        of the word that names the type ("année" in "en quelle année")."""
        spelt = [self._question_word(word) for word in raw]  # "en quelle anée"
        asked = cues.asked(spelt)
        typed = [marker for marker in asked if marker != cues.AGENT]  # "qui" is a stopword already
        naming = {raw[i] for i in cues.type_words(spelt)}
        if typed:
            naming |= cues.ASKING_WORDS | {word for word, read in zip(raw, spelt, strict=True)
                                           if read in cues.ASKING_WORDS}
        concepts[:] = [c for c in concepts if c.surface not in naming]
        for marker in asked:
            if self.postings.df(marker):
                weight = AGENT_WEIGHT if marker == cues.AGENT else CUE_WEIGHT
                concepts.append(Concept(f"({marker[1:]} asked)",
                                        [Alternative((marker,), weight, "answer type", marker, flat=True)]))

    def _question_word(self, word: str) -> str:
        """A word the notes and the French word list do not know, one edit from a single word
        that asks for a type, is that word misspelt ("anée" -> "annee", "combein" -> "combien")."""
        if len(word) < 4 or word in self._question_words or word in self._french_words:
            return word
        if self.postings.df(self.analyzer.stem(word)):
            return word
        close = self._question_words.candidates(word, max_edits=1)
        return close[0][0] if len(close) == 1 else word

    @cached_property
    def _question_words(self) -> TypoIndex:
        return TypoIndex(sorted(cues.question_words()), lambda w: 0)

    def _add_definition(self, raw: list[str], concepts: list[Concept]) -> None:
        """"DICT signification", "What does GLAMs stand for?": also look for the passages that
        define a word of the question (see cues.defined), at the weight of an answer type."""
        asking = cues.definition_asked(raw)
        if not asking:
            return
        # the words that ask ("définition", "stand for") are not searched: the answer defines, it
        # seldom says "definition", and "stand" found Vivatech's stand
        concepts[:] = [c for c in concepts if not set(c.surface.split()) <= asking]
        alts: list[Alternative] = []
        for concept in concepts:
            if concept.surface.startswith("("):
                continue
            for alt in concept.alternatives:  # "Green for IT" as a whole, in any order
                marker = cues.defined_marker(alt.terms)
                if self.postings.df(marker) and all(a.terms != (marker,) for a in alts):
                    alts.append(Alternative((marker,), CUE_WEIGHT, "answer type", marker, flat=True))
        if alts:
            concepts.append(Concept("(definition asked)", alts))

    def _translating(self, understood: Understood) -> bool:
        return self.options.translate and self.glossary is not None and understood.language != "fr"

    def _translated(self, raw: list[str], words: list[Word], understood: Understood,
                    expressions_only: bool = False) -> list[Concept]:
        """Concepts from the raw words, English expressions looked up longest first. A word the
        glossary lacks keeps the term its accented spelling gets ("musées" is "mus", while the
        folded raw "musees" would stem to "muse"). A French question is not translated word by
        word, but the English expressions it uses are ("le green IT", "un think tank")."""
        analysed: dict[str, list[Word]] = {}
        for word in words:
            analysed.setdefault(word.surface, []).append(word)
        concepts = self._split_expression(raw)
        capitals = self.analyzer.acronyms(understood.text)  # "IT" in "Green IT" is not the pronoun
        i = 0
        while i < len(raw):
            found = self.glossary.lookup(raw[i:])
            if found is not None and found[0] == 1 and (
                    expressions_only or raw[i] in self.analyzer.stop and raw[i] not in capitals):
                found = None  # "who", "when": only an expression ("how long") carries meaning; "EU" does
            phrasal = None if expressions_only or (found and found[0] > 1) else self.glossary.split_phrasal(raw[i:])
            if phrasal is not None:  # "hand [the old PCs] over": the particle is a stopword, skipped later
                j, translations = phrasal
                concept = self._translation([raw[i], raw[i + j]], translations, capitals)
                if concept is not None:
                    concepts.append(concept)
                    i += 1
                    continue
            if found is not None:
                n, translations = found
                concept = self._translation(raw[i : i + n], translations, capitals)
                if concept is not None:
                    concepts.append(concept)
                i += n
                continue
            if raw[i] in self._en and raw[i] not in capitals and not expressions_only:
                i += 1  # "an" is a French word ("par an") but an English stopword
                continue
            if "-" in raw[i] and not expressions_only and (compound := self._compound(raw[i], capitals)):
                concepts += compound
                i += 1
                continue
            for word in self._words_of(raw[i], analysed, capitals):
                concept = Concept.of_word(word)
                if not self.postings.df(word.term) and not expressions_only:
                    if "-" not in raw[i]:
                        concept.alternatives += self._french(french_cognates(raw[i]), COGNATE_WEIGHT, "cognate")
                    if len(concept.alternatives) == 1:
                        self._add_misspelt_translation(concept)
                concepts.append(concept)
            i += 1
        return concepts

    def _translation(self, raw: list[str], translations: list[str], capitals: set[str]) -> Concept | None:
        """An English word or expression: itself, and its French translations that the notes have."""
        surface = " ".join(raw)
        own = tuple(self.analyzer.terms(" ".join(w.upper() if w in capitals else w for w in raw)))
        alts = [Alternative(own, 1.0, "word", surface)] if own else []
        alts += self._french(translations, TRANSLATION_WEIGHT, "translation", unlike=own)
        return Concept(surface, alts) if alts else None

    def _french(self, translations: list[str], weight: float, why: str, unlike: tuple[str, ...] = (),
                shown: Callable[[str], str] = str) -> list[Alternative]:
        """The translations the notes have, as alternatives (not the one that is `unlike`'s terms)."""
        alts = []
        for french in translations:
            terms = tuple(self.analyzer.terms(french))
            if terms and terms != unlike and self._known(terms):
                alts.append(Alternative(terms, weight, why, shown(french)))
        return alts

    def _compound(self, raw: str, capitals: set[str]) -> list[Concept]:
        """A hyphenated English word the glossary lacks ("eco-responsibility"): its parts are
        translated like words, in the analyzer's order (parts, then the whole), and the whole
        also looks for the French compound of its first part and the rest's translation
        ("écoresponsabilité"). [] when the glossary knows none of the parts."""
        parts = raw.split("-")
        found = [self.glossary.lookup([p]) if p not in self.analyzer.stop else None for p in parts]
        if not any(found):
            return []
        concepts = []
        for part, hit in zip(parts, found, strict=True):
            concept = self._translation([part], hit[1], capitals) if hit is not None else None
            concepts += [concept] if concept else [Concept.of_word(w) for w in self.analyzer.words(part)]
        whole = self.analyzer.words("".join(parts))
        if len(whole) == 1:
            concept = Concept(raw, [Alternative((whole[0].term,), 1.0, "word", raw)])
            rest = found[-1][1] if len(parts) == 2 and found[-1] is not None else []
            for french in rest:
                for joined in (parts[0] + french, f"{parts[0]}-{french}"):
                    analysed = self.analyzer.terms(joined)
                    term = analysed[-1] if analysed else ""  # the whole comes after its parts
                    known = term and self.postings.df(term)
                    if known and all(a.terms != (term,) for a in concept.alternatives):
                        concept.alternatives.append(Alternative((term,), TRANSLATION_WEIGHT, "translation", joined))
            concepts.append(concept)
        return concepts

    def _words_of(self, raw: str, analysed: dict[str, list[Word]], capitals: set[str]) -> list[Word]:
        """The question's own analysis of a raw word (its parts too, for "éco-conception")."""
        parts = [*raw.split("-"), raw] if "-" in raw else [raw]  # the analyzer's order: parts, then whole
        found = list({w.term: w for part in parts for w in analysed.get(part, [])}.values())
        return found or self.analyzer.words(raw.upper() if raw in capitals else raw)

    def _split_expression(self, raw: list[str]) -> list[Concept]:
        """"Who is module 2 for?", "What is NumEcoEval for?": the question word and the final
        "for" are one expression, looked up as "for whom" or "what for"."""
        if len(raw) < 3 or raw[-1] != "for" or raw[0] not in _SPLIT_EXPRESSIONS or raw[-2] in ("stand", "stands"):
            return []  # "What does GLAM stand for?" asks what it means
        key = _SPLIT_EXPRESSIONS[raw[0]]
        alts = self._french(self.glossary.entries.get(key, []), TRANSLATION_WEIGHT, "translation")
        return [Concept(f"{raw[0]} … for", alts)] if alts else []

    @cached_property
    def _french_words(self) -> frozenset[str]:
        """French words known to be words, folded: those the glossary translates into. (One
        NFKD pass over all of them, in C: folding each took 17 ms of a first answer.)"""
        if self.glossary is None:
            return frozenset()
        text = " ".join(french for translations in self.glossary.entries.values() for french in translations)
        plain = unicodedata.normalize("NFKD", lower(text)).encode("ascii", "ignore").decode()
        return frozenset(w for w in re.findall(r"[a-z]+", plain) if len(w) > 3)

    @cached_property
    def _glossary_typos(self) -> TypoIndex:
        words = [key[0] for key in self.glossary.entries if len(key) == 1]
        return TypoIndex(words, lambda w: 0)

    def _add_misspelt_translation(self, concept: Concept) -> None:
        """An English word unknown to both the notes and the glossary may be a misspelt one."""
        if len(concept.surface) < 5:
            return  # "ream" is not "dream": short words have too many neighbours
        for english, distance in self._glossary_typos.candidates(concept.surface)[:1]:
            concept.alternatives += self._french(
                self.glossary.entries[(english,)], TYPO_WEIGHT[distance] * TRANSLATION_WEIGHT,
                "typo+translation", shown=lambda french, english=english: f"{english} → {french}")

    def _known(self, terms: tuple[str, ...]) -> bool:
        return any(self.postings.df(t) for t in terms)

    def _with_synonyms(self, concepts: list[Concept]) -> list[Concept]:
        """Add synonym alternatives; a multi-word synonym may join consecutive plain words."""
        out: list[Concept] = []
        i = 0
        while i < len(concepts):
            merged = self._phrase_synonym(concepts, i)
            if merged is not None:
                concept, used = merged
                out.append(concept)
                i += used
                continue
            concept = concepts[i]
            for alt in list(concept.alternatives):
                for terms in self.synonyms.lookup(alt.terms):
                    if self._known(terms) and all(a.terms != terms for a in concept.alternatives):
                        concept.alternatives.append(
                            Alternative(terms, alt.weight * SYNONYM_WEIGHT, "synonym", " ".join(terms)))
            out.append(concept)
            i += 1
        # "numérique et digital": a word the question says itself is not also a synonym of the
        # other, or every passage with one of them would count for both
        asked = {c.alternatives[0].terms for c in out}
        for concept in out:
            concept.alternatives[1:] = [a for a in concept.alternatives[1:]
                                        if not (a.why == "synonym" and a.terms in asked)]
        return out

    def _phrase_synonym(self, concepts: list[Concept], i: int) -> tuple[Concept, int] | None:
        for n in range(min(self.synonyms.longest, len(concepts) - i), 1, -1):
            group = concepts[i : i + n]
            if any(len(c.alternatives) != 1 for c in group):
                continue
            terms = tuple(t for c in group for t in c.alternatives[0].terms)
            also = [t for t in self.synonyms.lookup(terms) if self._known(t)]
            if also:
                surface = " ".join(c.surface for c in group)
                alts = [Alternative(terms, 1.0, "word", surface)]
                alts += [Alternative(t, SYNONYM_WEIGHT, "synonym", " ".join(t)) for t in also]
                return Concept(surface, alts), n
        return None

    def _add_accented(self, concept: Concept) -> None:
        """"musees" is "musées": the accented spelling's stem, when the notes use it more."""
        if not concept.exact:
            return
        word, term = concept.surface, concept.alternatives[0].terms[0]
        found = self._more_used_stem(accent_spellings(word), term)
        if found:
            stem, spelling = found
            concept.alternatives.append(Alternative((stem,), 1.0, "accent", spelling))

    def _add_conjugated(self, concept: Concept) -> None:
        """"coûtent", "proposons": Snowball keeps French verbs' -ent and -ons endings (nouns such
        as "client" end so too), so a rare such form also tries its singular ("coûte" -> cout),
        when the notes use that one more."""
        if not concept.exact:
            return
        word, term = concept.surface, concept.alternatives[0].terms[0]
        df = self.postings.df(term)
        if df > RARE_DF or len(word) < 6 or not word.isalpha() or word.endswith("ment"):
            return
        if word.endswith("ent"):
            base = word[:-2]  # coutent -> coute
        elif word.endswith("ons"):
            base = word[:-3] if word[:-3].endswith("e") else word[:-3] + "e"  # proposons -> propose
        else:
            return
        found = self._more_used_stem([base, *accent_spellings(base)], term)
        if found and len(found[0]) >= 4:
            concept.alternatives.append(Alternative((found[0],), 1.0, "conjugation", base))

    def _more_used_stem(self, spellings: list[str], term: str) -> tuple[str, str] | None:
        """(stem, spelling): of these spellings, the one whose stem the notes use most, if they
        use it more than `term`."""
        best, best_df, spelt = "", self.postings.df(term), ""
        for spelling in spellings:
            stem = self.analyzer.stem(spelling)
            df = self.postings.df(stem)
            if df > best_df:
                best, best_df, spelt = stem, df, spelling
        return (best, spelt) if best else None

    def _add_family(self, concept: Concept) -> None:
        """"certifiante" also finds "certification": stems one is a short extension of. An unknown
        word that no typo matched gets its relatives too ("maturitée" -> "maturité"), and a word
        typed without its accents those of its accented spelling ("securite" -> sécurisé)."""
        alts = concept.alternatives
        if concept.exact:
            term = alts[0].terms[0]
        elif len(alts) == 2 and alts[1].why == "accent" and len(alts[0].terms) == 1:
            term = alts[1].terms[0]
        else:
            return
        apart = self.analyzer.kept_apart  # "équipe" is not a relative of "équipement"
        if len(term) < FAMILY_MIN or not term.isalpha() or term in apart:
            return
        longer = [t for t in self.postings.with_prefix(term, 200) if 0 < len(t) - len(term) <= FAMILY_LONGER]
        shorter = [term[:-n] for n in range(1, FAMILY_SHORTER + 1) if len(term) - n >= FAMILY_MIN]
        # A term of a single passage is mostly a name or a typo of the notes ("responsb").
        counts = {t: self.postings.df(t) for t in longer + shorter if t not in apart}
        family = sorted((t for t, df in counts.items() if df >= 2), key=lambda t: -counts[t])
        for relative in family[:FAMILY_SIZE]:
            concept.alternatives.append(Alternative((relative,), FAMILY_WEIGHT, "family", relative))

    def _redoubled(self, surface: str, term: str) -> str | None:
        """The term of the word with a letter doubled or undoubled (the commonest slip), when the
        notes use it more: "colectivités" is "collectivités". Stems are compared after the fix,
        since the stemmer cuts a misspelt word elsewhere (colect, not collectivit)."""
        if len(surface) < 5 or not surface.isalpha():
            return None
        spellings = [variant for spelling in doubled_spellings(surface)
                     for variant in (spelling, *accent_spellings(spelling))]
        found = self._more_used_stem(spellings, term)
        return found[0] if found else None

    def _add_typos(self, concept: Concept) -> None:
        """A word unknown to the index (or very rare beside a common neighbour) gets neighbours."""
        if len(concept.alternatives) != 1 or len(concept.alternatives[0].terms) != 1:
            return  # translated or expanded words were understood already
        if "-" in concept.surface:
            return  # "demi-heure": its parts, known words, carry it
        term = concept.alternatives[0].terms[0]
        if not term.isalpha() or (self.glossary is not None and concept.surface in self.glossary):
            return
        df = self.postings.df(term)
        if df > RARE_DF or concept.surface in self._french_words:
            return  # a real French word ("vieux"), however rare in the notes, is no slip for "mieux"
        surface = concept.surface
        redoubled = self._redoubled(surface, term) if not df else None
        if redoubled is not None:  # "colectivités": its stem (colect) is one edit from "collecte"
            concept.alternatives.append(Alternative((redoubled,), TYPO_WEIGHT[1], "typo", f"{redoubled} (1 edit)"))
            return
        found = self.typo_index.candidates(term)
        if surface != term and surface.isalpha():
            # Stemming a misspelt word cuts it anywhere ("carbonvis" -> carbonv, one edit from
            # "carbon"): names the stemmer leaves whole are also compared as typed (carbonviz).
            closest_of = dict(found)
            for word, distance in self.typo_index.candidates(surface):
                if word != term:
                    closest_of[word] = min(distance, closest_of.get(word, distance))
            # Slips are rarer at the start of a word: of equally close words, the one that
            # begins like the typed word comes first, then the most common.
            found = sorted(closest_of.items(), key=lambda item: (
                item[1], -_shared_prefix(surface, item[0]), -self.postings.df(item[0]), item[0]))
        if not found and not df and len(surface) >= 6 and surface.isalpha():
            # The vocabulary holds stems: "numerque" is three letters from the stem "numer", but
            # one from the word "numerique", whose stem the notes use. A stem of three letters
            # is too vague a guess: "pirates" is one letter from "pirantes", stem `pir`.
            respelt = self._more_used_stem(one_edit_spellings(surface), term)
            if respelt is not None and len(respelt[0]) >= 4 and self.postings.df(respelt[0]) >= 2:
                stem, spelling = respelt
                concept.alternatives.append(Alternative((stem,), TYPO_WEIGHT[1], "typo", f"{spelling} (1 edit)"))
            return
        if df:  # a rare real word: only much more common neighbours one edit away
            found = [(w, d) for w, d in found if d == 1 and self.postings.df(w) >= 20 * (df + 1)]
        closest = [(w, d) for w, d in found if d == found[0][1]] if found else []
        if closest and closest[0][1] == 1:
            doubled = [(w, d) for w, d in closest if doubling(w, term)]
            closest = doubled or closest  # a doubled letter is the likeliest slip: "efacer", "boster"
        # Several equally close words make each guess less likely: "tarte" is part? art? tant?
        doubt = math.sqrt(len(closest)) if closest else 1.0
        for word, distance in closest[:3]:
            concept.alternatives.append(
                Alternative((word,), TYPO_WEIGHT[distance] / doubt, "typo", f"{word} ({distance} edit"
                            f"{'s' if distance > 1 else ''})"))


def _shared_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def accent_spellings(word: str) -> list[str]:
    """The word with é or è for each unaccented e among its last letters ("musees" -> "musées"...)."""
    if not word.isascii() or not word.isalpha() or len(word) < 4:
        return []
    head, tail = word[:-ACCENT_TAIL], word[-ACCENT_TAIL:]
    spots = [i for i, c in enumerate(tail) if c == "e"]
    if not spots:
        return []
    out = []
    for choice in itertools.product(_ACCENTED_E, repeat=len(spots)):
        letters = list(tail)
        for i, letter in zip(spots, choice, strict=True):
            letters[i] = letter
        spelt = head + "".join(letters)
        if spelt != word:
            out.append(spelt)
    return out


def _run_of(concepts: list[Concept], parts: list[str]) -> list[int]:
    """The positions of the longest run of consecutive one-word concepts that spell `parts` in
    order (a part the analysis dropped, such as "www", may be missing): the concepts a domain
    name produced, and not the same word asked elsewhere in the question."""
    best: list[int] = []
    for start in range(len(concepts)):
        run, i = [], start
        for part in parts:
            if i < len(concepts) and concepts[i].surface == part and len(concepts[i].alternatives) == 1:
                run.append(i)
                i += 1
        if len(run) > len(best):
            best = run
    return best


def _merged(concepts: list[Concept], at: list[int], whole: Concept) -> list[Concept]:
    """The concepts at positions `at` replaced by `whole`, where the first of them stood."""
    return [whole if i == at[0] else c for i, c in enumerate(concepts) if i == at[0] or i not in at]
