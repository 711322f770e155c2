"""Question understanding: translation, synonyms, typos, search syntax, --explain."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from bot import cues
from bot.cli import explain_lines
from bot.engine import Engine

NOTES = {
    "recyclage.md": "---\ntitle: Recyclage des ordinateurs\ntags: [dechets]\n---\n"
                    "Le recyclage des ordinateurs portables se fait dans une filière agréée.\n",
    "aviation.md": "---\ntitle: Numérique et climat\ntags: climat\n---\n"
                   "Le numérique émet plus de gaz à effet de serre que l'aviation civile.\n",
    "effacement.md": "---\ntitle: Avant un don\ntags: [don, dechets]\n---\n"
                     "Il faut effacer les disques durs avant de donner un ordinateur à une association.\n",
    "musee.md": "---\ntitle: Visite du musée\n---\n"
                "Le musée propose une visite guidée de trente minutes aux écoles.\n",
    "extension.md": "---\ntitle: Extension de navigateur\n---\n"
                    "Cette extension de navigateur affiche les émissions de CO2 de votre navigation.\n",
}


@pytest.fixture
def garden(tmp_path: Path) -> Path:
    root = tmp_path / "garden"
    root.mkdir()
    for name, text in NOTES.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "notesbot.yaml").write_text("synonyms: synonyms.yaml\n", encoding="utf-8")
    (root / "synonyms.yaml").write_text("- navigateur, butineur\n", encoding="utf-8")
    return root


@pytest.fixture
def engine(garden: Path, tmp_path: Path) -> Engine:
    engine, _ = Engine.open([garden], tmp_path / "index")
    yield engine
    engine.close()


def first_path(engine: Engine, question: str) -> str:
    answer = engine.ask(question, 3)
    assert answer.hits, f"no hit for {question!r}"
    return answer.hits[0].path


def terms(engine: Engine, text: str) -> str:
    return " ".join(engine.searcher.analyzer.terms(text))


def alternatives(engine: Engine, question: str) -> dict[str, list[tuple[str, str]]]:
    understood = engine.searcher.understand(question)
    return {c.surface: [(a.why, " ".join(a.terms)) for a in c.alternatives] for c in understood.concepts}


def test_english_words_are_translated_to_french_of_the_index(engine: Engine) -> None:
    alts = alternatives(engine, "how do I recycle my laptops?")
    assert engine.searcher.understand("how do I recycle my laptops?").language == "en"
    assert any(why == "translation" for why, _ in alts["recycle"])
    assert first_path(engine, "how do I recycle my laptops?") == "recyclage.md"
    assert first_path(engine, "guided tour of the museum for schools") == "musee.md"


def test_translations_of_one_word_count_once(engine: Engine) -> None:
    """dis_max: a passage gets a concept's best alternative plus a small share of the others."""
    from bot.search import TIE_BREAKER, Concept, Understood

    understood = engine.searcher.understand("recycle")
    (concept,) = understood.concepts
    assert len(concept.alternatives) >= 2
    best = engine.searcher.rank(understood, 1)[0].score
    singles = []
    for alt in concept.alternatives:
        alone = Understood("x", concepts=[Concept(concept.surface, [alt])])
        hits = engine.searcher.rank(alone, 1)
        singles.append(hits[0].score if hits else 0.0)
    assert best <= max(singles) * (1 + TIE_BREAKER * (len(singles) - 1)) + 1e-9
    assert best < sum(singles) or len([s for s in singles if s]) <= 1


def test_french_questions_are_not_translated(engine: Engine) -> None:
    understood = engine.searcher.understand("comment recycler les ordinateurs portables")
    assert understood.language == "fr"
    # an English question that names a French title without quotes is still English: its
    # opening question word and its English words outvote "l'", "de", "la"
    assert engine.searcher.understand("Which publisher released the book L'envers de la tech?").language == "en"
    assert engine.searcher.understand("Quel éditeur a publié le livre L'envers de la tech ?").language == "fr"
    assert not any(a.why == "translation" for c in understood.concepts for a in c.alternatives)


def test_typos_match_close_vocabulary_words(engine: Engine) -> None:
    alts = alternatives(engine, "efacer les disques")
    assert ("typo", engine.searcher.analyzer.stem("effacer")) in alts["efacer"]
    assert first_path(engine, "efacer les disques") == "effacement.md"
    assert first_path(engine, "recylage ordinateurs") == "recyclage.md"


def test_a_doubled_letter_is_the_likeliest_typo(tmp_path: Path) -> None:
    """"boster" is one edit from "booster", but also from "boite", "poste", "bout": a missing
    double letter is the commonest slip, so it is the one guess, at full typo weight."""
    from bot.typos import doubling

    assert doubling("booster", "boster") and doubling("efacer", "effacer")
    assert not doubling("boster", "poster") and not doubling("disque", "dique")
    notes = {"boost.md": "# Museum Booster\nL'agence Museum Booster publie un baromètre.\n",
             "boost2.md": "# Agence\nMuseum Booster conseille les musées.\n",
             "boite.md": "# Boîte\nUne boîte à outils, une autre boîte.\n",
             "boite2.md": "# Outils\nLa boîte du kit.\n",
             "poste.md": "# Poste\nLe poste de travail, un poste fixe.\n",
             "poste2.md": "# Travail\nChaque poste compte.\n",
             "bout.md": "# Bout\nAu bout du compte, un bout de code.\n",
             "bout2.md": "# Code\nBout à bout.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        typos = [(why, term) for why, term in alternatives(engine, "boster")["boster"] if why == "typo"]
        assert typos == [("typo", engine.searcher.analyzer.stem("booster"))]
        assert first_path(engine, "agence boster") in ("boost.md", "boost2.md")


def test_a_doubled_letter_is_fixed_before_stemming(tmp_path: Path) -> None:
    """The stemmer cuts "colectivités" to `colect`, one edit from `collect` (collecte, waste
    pickup); with its double letter back it is "collectivités", which the notes have."""
    notes = {"elus.md": "# Élus\nLes collectivités territoriales et leurs élus.\n",
             "elus2.md": "# Communes\nDes collectivités engagées.\n",
             "dechets.md": "# Déchets\nLa collecte des déchets, une collecte par mois.\n",
             "dechets2.md": "# Tri\nCollecte sélective.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        stem = engine.searcher.analyzer.stem
        assert stem("colectivités") == stem("collecte") or stem("colectivités") != stem("collectivités")
        typos = [term for why, term in alternatives(engine, "colectivités")["colectivites"] if why == "typo"]
        assert typos == [stem("collectivités")]
        assert first_path(engine, "les colectivités") in ("elus.md", "elus2.md")


def test_a_slip_is_read_on_the_word_when_its_stem_is_too_far(tmp_path: Path) -> None:
    """"numérque" stems to `numerqu`, two letters from the notes' stem `numer`, and three from
    it as typed: no typo there. One letter from the word "numérique", it is that slip."""
    from bot.typos import one_edit_spellings

    assert {"numerique", "numerqe", "nmuerque", "numerqeu"} <= set(one_edit_spellings("numerque"))
    notes = {"strategie.md": "# Stratégie\nUne stratégie numérique pour le musée.\n",
             "numerique.md": "# Outils\nLe numérique au quotidien, un numérique sobre.\n",
             "musee.md": "# Musée\nLa stratégie des publics du musée.\n",
             "pire.md": "# Risques\nLe pire est à venir.\n", "pire2.md": "# Scénarios\nLe pire scénario.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        stem = engine.searcher.analyzer.stem
        assert engine.searcher.expander.typo_index.candidates(stem("numérque")) == []
        # too vague a guess: "pirates" is one letter from "pirantes", whose stem is `pir` (pire)
        assert [why for why, _ in alternatives(engine, "les pirates informatiques")["pirates"]] == ["word"]
        assert ("typo", stem("numérique")) in alternatives(engine, "stratégie numérque")["numerque"]
        assert first_path(engine, "stratégie numérque") == "strategie.md"
        assert any("numerique (1 edit)" in line for line in explain_lines(engine, "stratégie numérque"))


def test_real_words_and_compounds_are_not_taken_for_typos(tmp_path: Path) -> None:
    """"vieux" is one edit from "mieux", which the notes use far more; but it is a French word
    (the glossary translates "old" into it), not a slip. "demi-heure" is its two known parts."""
    notes = {"mieux.md": "# Mieux\nMieux vaut réparer. Mieux, beaucoup mieux.\n",
             "mieux2.md": "# Conseil\nFaire mieux avec moins.\n",
             "demeure.md": "# Demeure\nUne demeure, la demeure.\n",
             "heure.md": "# Horaires\nUne heure, une demi journée.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert all(why != "typo" for why, _ in alternatives(engine, "nos vieux ordinateurs")["vieux"])
        assert ("typo", "mieux") in alternatives(engine, "faire mieeux")["mieeux"]  # a real slip still is
        alts = alternatives(engine, "en une demi-heure")
        assert all(why != "typo" for why, _ in alts["demi-heure"]) and ("word", "dem heur") in alts["demi-heure"]
        assert "jai" not in alternatives(engine, "jai une question sur les horaires")


def test_a_misspelt_name_is_also_compared_as_typed(tmp_path: Path) -> None:
    """"carbonvis" stems to "carbonv" (the stemmer takes the -s for a plural), one edit from
    "carbon" and two from "carbonviz": typed, it is one edit from the name."""
    notes = {"viz.md": "# CarbonViz\nCarbonViz est une extension de navigateur.\n",
             "viz2.md": "# Outils\nCarbonViz montre le CO2.\n",
             "carbone.md": "# Carbone\nLe carbone, encore du carbone.\n",
             "carbone2.md": "# Climat\nCarbone et climat.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        typos = [term for why, term in alternatives(engine, "carbonvis extension")["carbonvis"] if why == "typo"]
        assert typos[0] == "carbonviz"
        assert first_path(engine, "carbonvis c'est une extension ?") == "viz.md"


def test_a_plural_verb_finds_its_singular(tmp_path: Path) -> None:
    """Snowball leaves "coûtent" whole (nouns such as "client" end in -ent too): the question's
    rare plural also tries the singular the notes use, before a typo makes it "content"."""
    notes = {"prix.md": "# Prix\nUn ordinateur reconditionné coûte moins cher. Il coûte 300 euros.\n",
             "prix2.md": "# Budget\nCe qui coûte le plus, c'est le neuf.\n",
             "web.md": "# Web\nLe content du site, un content riche, du content.\n",
             "web2.md": "# Site\nContent management.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "combien coûtent les ordinateurs ?")["coutent"]
        assert ("conjugation", engine.searcher.analyzer.stem("coûte")) in alts
        assert all(why != "typo" for why, _ in alts)
        assert first_path(engine, "combien coûtent les ordinateurs ?") == "prix.md"
        assert "conjugation" not in {why for why, _ in alternatives(engine, "les clients")["clients"]}


def test_words_typed_without_accents_find_their_accented_stem(engine: Engine) -> None:
    """The stemmer strips "-ées" but not "-ees": "musees" and "musées" would not meet."""
    from bot.expand import accent_spellings

    stem = engine.searcher.analyzer.stem
    assert stem("musees") != stem("musées")  # the reason for the step
    assert "musées" in accent_spellings("musees") and accent_spellings("musées") == []
    assert ("accent", stem("musées")) in alternatives(engine, "visite des musees")["musees"]
    assert first_path(engine, "musees ecoles") == "musee.md"


def test_keywords_keep_the_stems_of_their_accented_spelling(engine: Engine) -> None:
    """Keywords (no stopwords) go through the glossary on folded words; a word it lacks must
    still be stemmed as typed: "guidée" is "guid", the folded "guidee" would be "guide"."""
    stem = engine.searcher.analyzer.stem
    assert stem("guidée") != stem("guidee")  # the reason
    understood = engine.searcher.understand("visite guidée")
    assert understood.language == ""
    assert alternatives(engine, "visite guidée")["guidee"][0] == ("word", stem("guidée"))


def test_decimal_numbers_stay_whole_in_every_kind_of_question(engine: Engine) -> None:
    for question in ("Le numérique représente 3,8% des émissions ?", "digital share 3,8%", "3,8 %"):
        surfaces = [c.surface for c in engine.searcher.understand(question).concepts]
        assert "3,8" in surfaces and "8" not in surfaces, question


def test_a_word_is_not_a_synonym_of_another_through_a_shared_stem(engine: Engine) -> None:
    """"data" and "date" share the stem "dat", "données" and "don" the stem "don": no bridge."""
    assert all(why != "synonym" for why, _ in alternatives(engine, "date du don").get("date", []))


def test_organised_is_no_company(tmp_path: Path) -> None:
    """"organisation" shares its stem with "organisé": the default group is one-way
    (entreprise, société => organisation), so "qui a organisé" does not look for companies."""
    notes = {"a.md": "# Atelier\nL'atelier est organisé par une entreprise, une société, une organisation.\n"}
    with garden_of(tmp_path, notes, fillers=4) as engine:
        assert all(why != "synonym" for why, _ in alternatives(engine, "qui a organisé l'atelier")["organise"])
        assert ("synonym", "organis") in alternatives(engine, "une entreprise")["entreprise"]


def test_default_synonym_phrases_are_not_read_as_a_common_word() -> None:
    """Stopwords fall out of a phrase: "en direct" is read as "direct", the stem of "direction",
    and "sans frais" as "frais" (costs). Such an entry must be one-way or not there at all; the
    two left are harmless ("en ligne" is mostly online, "se servir" (serv) is not "service")."""
    from bot.analysis import DATA, Analyzer
    from bot.synonyms import parse_rules

    analyzer = Analyzer()
    rules, problems = parse_rules((DATA / "synonyms-default.yaml").read_text(encoding="utf-8"), "default")
    assert not problems
    two_way = [r for r in rules if "=>" not in r]
    shrunk = {w.strip() for r in two_way for w in r.split(",")
              if len(w.split()) > 1 and len(analyzer.terms(w)) == 1}
    assert shrunk == {"en ligne", "se servir"}


def test_default_synonym_groups_do_not_merge_through_a_shared_stem() -> None:
    """Two groups that share a stem become one: "fonds" (a collection) and "fonder" (to found)
    both stemmed "fond", so "collection" was a synonym of "création"; "utilisateur" stemmed like
    "utiliser". The stem overrides keep such words apart; the groups left sharing a stem mean
    the same thing (an emission, obsolescence, buying, measuring, a conference)."""
    from bot.analysis import DATA, Analyzer
    from bot.synonyms import parse_rules

    analyzer = Analyzer()
    rules, _ = parse_rules((DATA / "synonyms-default.yaml").read_text(encoding="utf-8"), "default")
    groups: dict[str, set[int]] = {}
    for i, rule in enumerate(rules):
        for word in rule.replace("=>", ",").split(","):
            terms = analyzer.terms(word)
            if len(terms) == 1:
                groups.setdefault(terms[0], set()).add(i)
    shared = {term for term, where in groups.items() if len(where) > 1}
    assert shared == {"emiss", "obsolescent", "achet", "mesur", "conferent"}


def test_short_words_are_not_corrected(engine: Engine) -> None:
    alts = alternatives(engine, "dus")  # three letters: too short to guess
    assert all(why != "typo" for why, _ in alts.get("dus", []))


def test_corpus_synonyms_apply_and_reload_on_refresh(engine: Engine, garden: Path) -> None:
    assert ("synonym", terms(engine, "navigateur")) in alternatives(engine, "butineur")["butineur"]
    assert first_path(engine, "butineur") == "extension.md"
    (garden / "synonyms.yaml").write_text("- association, musée\n", encoding="utf-8")
    fresh, _ = engine.refreshed()
    try:
        assert ("synonym", terms(fresh, "navigateur")) not in alternatives(fresh, "butineur").get("butineur", [])
        assert ("synonym", terms(fresh, "musée")) in alternatives(fresh, "association")["association"]
    finally:
        fresh.close()


def test_default_synonyms_link_planes_and_aviation(engine: Engine) -> None:
    assert first_path(engine, "le numérique pollue plus que les avions") == "aviation.md"


def test_default_synonyms_cover_everyday_question_words(engine: Engine) -> None:
    """A member asks what a tool "montre"; the note says it "affiche"."""
    assert ("synonym", terms(engine, "affiche")) in alternatives(engine, "outil qui montre le CO2")["montre"]
    assert first_path(engine, "qui montre ce que ma navigation émet") == "extension.md"


def test_everyday_words_find_the_notes_written_ones(tmp_path: Path) -> None:
    """A member says "instrument", "façon de réfléchir", "métier"; the note says "outil",
    "manière de penser", "profession"."""
    notes = {"culture.md": "# Culture numérique\nPlus qu'un outil, le numérique est une manière de penser.\n",
             "metiers.md": "# Métiers\nOn pourrait réguler les professions du numérique.\n",
             "outils.md": "# Outils\nUn outil de mesure, un instrument pour les équipes.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "le digital, un instrument ou une façon de réfléchir ?")
        assert ("synonym", terms(engine, "outil")) in alts["instrument"]
        assert ("synonym", terms(engine, "manière")) in alts["facon"]
        assert ("synonym", terms(engine, "penser")) in alts["reflechir"]
        assert first_path(engine, "le digital, un instrument ou une façon de réfléchir ?") == "culture.md"
        assert first_path(engine, "faut-il encadrer les métiers de l'informatique ?") == "metiers.md"


def test_everyday_short_forms_find_the_full_word(tmp_path: Path) -> None:
    notes = {"agec.md": "# Loi AGEC\nLes producteurs mettent à disposition des informations sur leurs produits.\n",
             "mooc.md": "# MOOC\nLe MOOC dure 30 minutes.\n",
             "labo.md": "# Recherche\nLe laboratoire de l'université teste la batterie.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "quelles infos sur les produits ?")["infos"]
        assert ("synonym", terms(engine, "information")) in alts
        # "dans la durée" (over time) asks for no duration, "la durée du MOOC" does
        assert "(duration asked)" not in alternatives(engine, "suivre les produits dans la durée ?")
        assert "(duration asked)" in alternatives(engine, "quelle est la durée du 1 MOOC ?")
        assert first_path(engine, "quelles infos sur les produits ?") == "agec.md"
        for short, full in (("l'accu", "batterie"), ("la fac", "université"), ("le labo", "laboratoire")):
            word = short.split()[-1].split("'")[-1]
            assert ("synonym", terms(engine, full)) in alternatives(engine, f"quel état pour {short} ?")[word]


def test_a_quoted_phrase_keeps_its_passage_first_within_a_note(tmp_path: Path) -> None:
    """The near-tie rule between passages of one note never puts a passage without the quoted
    phrase before one with it."""
    notes = {"guide.md": ("# Guide\n\n## Méthode\nLe « bilan carbone » du parc.\n\n"
                          "## Inventaire\nLe bilan du parc informatique, le carbone du parc informatique.\n")}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        hits = engine.ask("« bilan carbone » parc informatique", 2).hits
        assert [h.heading for h in hits] == ["Guide › Méthode", "Guide › Inventaire"]


def test_quoted_phrase_excluded_word_and_tag(engine: Engine) -> None:
    answer = engine.ask('ordinateur "disques durs"', 3)
    assert answer.hits[0].path == "effacement.md"
    paths = [h.path for h in engine.ask("ordinateur -recyclage", 5).hits]
    assert "recyclage.md" not in paths and "effacement.md" in paths
    paths = [h.path for h in engine.ask("ordinateur tag:don", 5).hits]
    assert paths == ["effacement.md"]
    paths = [h.path for h in engine.ask("ordinateur tag:dechets tag:climat", 5).hits]
    assert set(paths) == {"effacement.md", "recyclage.md"}


def test_plain_text_with_dashes_and_quotes_still_works(engine: Engine) -> None:
    assert engine.ask("e-waste recyclage", 3).hits
    assert first_path(engine, 'l\'ordinateur "portable') == "recyclage.md"


def test_french_and_typographic_quotes_mark_phrases_too() -> None:
    from bot.query import parse_question

    assert parse_question("le module « gestion responsable » ?").phrases == ["gestion responsable"]
    assert parse_question("“disques durs” avant un don").phrases == ["disques durs"]
    assert parse_question('"a b" et «c d»').phrases == ["a b", "c d"]
    assert parse_question("un « seul guillemet").phrases == []  # unpaired: plain text
    assert parse_question("le module « gestion responsable » ?").text == "le module gestion responsable ?"


def test_a_title_in_single_quotes_is_a_phrase() -> None:
    """English questions quote French titles in single quotes: three words or more are a title;
    one or two ('numérique' rather than 'digital') are words, and elisions are no quotes."""
    from bot.query import parse_question

    question = "Who spoke on the podcast 'Le numérique dans tous ses états'?"
    assert parse_question(question).phrases == ["Le numérique dans tous ses états"]
    assert parse_question("Who wrote 'La vérité sur l'empreinte carbone'?").phrases == [
        "La vérité sur l'empreinte carbone"]
    assert parse_question("use 'numérique' rather than 'digital'?").phrases == []
    assert parse_question("qu'est-ce que l'INR fait pour l'État ?").phrases == []


@contextmanager
def garden_of(tmp_path: Path, notes: dict[str, str], fillers: int = 0) -> Iterator[Engine]:
    """An engine on these notes, plus `fillers` unrelated ones so that BM25's rarity means something."""
    root = tmp_path / "notes"
    root.mkdir()
    notes = {**notes, **{f"other{i}.md": f"# Autre {i}\nRien à voir, note {i}.\n" for i in range(fillers)}}
    for name, text in notes.items():
        (root / name).write_text(text, encoding="utf-8")
    engine, _ = Engine.open([root], tmp_path / "index")
    try:
        yield engine
    finally:
        engine.close()


def test_audience_questions_find_the_audience_front_matter_key(tmp_path: Path) -> None:
    """Tool pages give their audience in camelCase keys (`utilisateursCibles:`, `target:`): the
    key's words are indexed, the text keeps the key as written, and "destiné à" finds "cibles"."""
    notes = {"outil.md": "---\ntitle: Mesureo\nutilisateursCibles: Agents des collectivités\n---\n"
                         "# Mesureo\nMesureo calcule l'empreinte du parc.\n\n"
                         "## Objectifs\nMesurer le parc de Mesureo.\n",
             "autre.md": "# Guide\nLe guide de Mesureo, pour le parc des agents.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        hit = engine.ask("Mesureo c'est destiné à qui ?", 3).hits[0]
        assert hit.path == "outil.md"
        assert "utilisateursCibles: Agents" in hit.text
        assert first_path(engine, "who is Mesureo meant for?") == "outil.md"


def test_who_a_page_is_for(tmp_path: Path) -> None:
    """"Elle s'adresse aux agents" and "destiné aux agents" say who a page is for; an "adresse"
    (an address) does not."""
    notes = {"mooc.md": "# MOOC\nLe MOOC s'adresse aux agents publics.\n",
             "contact.md": "# Contact\nL'adresse du MOOC : 20 avenue de Ségur.\n",
             "kit.md": "# Kit\nUn kit destiné aux élus.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert first_path(engine, "à qui s'adresse le MOOC ?") == "mooc.md"
        assert first_path(engine, "le MOOC est destiné à qui ?") == "mooc.md"
        assert first_path(engine, "adresse du MOOC") == "contact.md"
        assert first_path(engine, "à qui s'adresse le kit ?") == "kit.md"


def test_a_question_on_what_a_term_means_finds_where_it_is_defined(tmp_path: Path) -> None:
    """The passage that names ACV most is not the one that says what it means."""
    notes = {"glossaire.md": "# Glossaire\nACV : analyse du cycle de vie\nDEEE : déchets d'équipements "
                             "électriques et électroniques\nPUE : efficacité énergétique d'un centre de données\n"
                             "Sobriété : faire moins, avec des usages choisis\n",
             "acv.md": "# Mener une ACV\nUne ACV se mène en quatre étapes ; l'ACV d'un service numérique "
                       "suit la norme, et une ACV de parc aussi.\n",
             "open.md": "# Open Glam\nLe groupe Open Glam réunit des GLAM de Suisse.\n\n## Membres\n"
                        "Les GLAMs (Galleries, Libraries, Archives and Museums) du pays.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert first_path(engine, "ACV") == "acv.md"  # no definition asked: the word counts
        assert first_path(engine, "Que veut dire ACV ?") == "glossaire.md"
        assert first_path(engine, "ACV signification") == "glossaire.md"
        assert "(definition asked)" in alternatives(engine, "ACV signification")
        hit = engine.ask("What does GLAM stand for?", 1).hits[0]
        assert hit.heading == "Open Glam › Membres"
        assert "(definition asked)" not in alternatives(engine, "Quelle loi a défini l'ACV ?")
        # the asking words are not searched: "stand" is no stand, "signification" not a topic
        assert "stand" not in alternatives(engine, "What does GLAM stand for?")
        assert "signification" not in alternatives(engine, "ACV signification")
        assert "defini" in alternatives(engine, "Quelle loi a défini l'ACV ?")  # no definition asked


def test_a_word_finds_its_family_at_half_weight(tmp_path: Path) -> None:
    """The stemmer leaves "qualifiante" (qualifi) and "qualification" (qualif) apart. (Relatives
    found in a single passage are left out: mostly names and typos of the notes.)"""
    notes = {"mooc.md": "# MOOC\nCette formation en ligne est qualifiante.\n",
             "stage.md": "# Stage\nUn stage qualifiant, dans une équipe.\n",
             "qualif.md": "# Qualification\nLa qualification des agents passe par un examen.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        stem = engine.searcher.analyzer.stem
        assert stem("qualifiante") != stem("qualification")  # the reason for the step
        alts = alternatives(engine, "formation qualification")
        assert ("family", stem("qualifiante")) in alts["qualification"]
        assert first_path(engine, "formation en ligne avec qualification") == "mooc.md"
        assert first_path(engine, "qualification") == "qualif.md"  # the word itself still wins
        weights = [a.weight for c in engine.searcher.understand("qualification").concepts
                   for a in c.alternatives if a.why == "family"]
        assert weights and all(w < 1 for w in weights)


def test_a_word_typed_without_accents_finds_the_family_of_its_accented_spelling(tmp_path: Path) -> None:
    """"securite" stems to securit, "sécurité" to secur: the accent step finds the accented word,
    and the family step, which used to stop at any word already understood, adds sécurisé."""
    notes = {"diplo.md": "# DiploIA\nL'outil est sécurisé au niveau diffusion restreinte.\n",
             "cyber.md": "# Cyber\nLa sécurité des systèmes et la sécurité des données.\n",
             "reseau.md": "# Réseau\nUn réseau sécurisé pour les agents.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        stem = engine.searcher.analyzer.stem
        alts = alternatives(engine, "diploia niveau de securite")["securite"]
        assert ("accent", stem("sécurité")) in alts and ("family", stem("sécurisé")) in alts
        assert alternatives(engine, "diploia niveau de sécurité")["securite"][1] == ("family", stem("sécurisé"))


def test_words_kept_apart_by_the_stem_overrides_are_not_each_others_family(tmp_path: Path) -> None:
    """"équipe" (a team) extends the stem of "équipement": the override list keeps them apart,
    and the family step must not join them again."""
    notes = {"parc.md": "# Parc\nLes équipements informatiques du parc.\n",
             "parc2.md": "# Inventaire\nUn équipement par agent.\n",
             "team.md": "# Équipe\nL'équipe projet se réunit.\n",
             "team2.md": "# Réunion\nChaque équipe choisit ses outils.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert [why for why, _ in alternatives(engine, "équipements")["equipements"]] == ["word"]
        assert [why for why, _ in alternatives(engine, "équipe")["equipe"]] == ["word"]


def test_a_locution_is_dropped_from_the_question_as_from_the_notes(engine: Engine) -> None:
    """"au cours de sa vie" is not about a "cours": the expander reads the words the analyzer kept."""
    assert "cours" not in alternatives(engine, "Que devient un ordinateur au cours de sa vie ?")
    assert "cours" in alternatives(engine, "un cours sur le recyclage")


def test_an_unknown_word_with_no_close_typo_finds_its_family(tmp_path: Path) -> None:
    """"énergétiques" stems to "energet", two letters past "energ" (énergie): no typo, a
    relative. "maturitée" stems to "maturit", two letters past "matur" (maturité), but it is
    "maturité" with an e doubled: the slip is read first."""
    notes = {"hype.md": "# Hype\nLa courbe de maturité des technologies.\n",
             "diag.md": "# Diagnostic\nUn diagnostic de maturité numérique et d'énergie.\n",
             "energie.md": "# Énergie\nL'énergie des usages.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        stem = engine.searcher.analyzer.stem
        assert ("family", stem("énergie")) in alternatives(engine, "besoins énergétiques")["energetiques"]
        assert first_path(engine, "usages énergétiques") == "energie.md"
        assert ("typo", stem("maturité")) in alternatives(engine, "la courbe de maturitée")["maturitee"]
        assert first_path(engine, "courbe de maturitée") == "hype.md"


def test_the_faces_of_responsible_digital_keep_their_it(tmp_path: Path) -> None:
    """"it for human" typed in lowercase is the field's "IT for Human", not "human" alone."""
    notes = {"faces.md": "# Numérique responsable\nSes quatre faces : Green for IT, IT for Green, "
                         "Human for IT et IT for Human.\n",
             "human.md": "# Human\nHuman centered design, human first : le design centré humain.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "it for human")["it for human"]
        assert ("translation", "human it") in alts
        assert first_path(engine, "it for human") == "faces.md"


def test_a_hyphenated_english_word_the_glossary_lacks_is_translated_by_its_parts(tmp_path: Path) -> None:
    """"eco-responsibility" is not in the glossary, "responsibility" is: the parts are translated,
    and the whole looks for the French compound ("écoresponsabilité")."""
    notes = {"eco.md": "# Démarche\nIntégrer l'écoresponsabilité à chaque étape du projet.\n",
             "resp.md": "# Rôles\nLa responsabilité du chef de projet.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "eco-responsibility in every phase of a project")
        assert ("translation", "respons") in alts["responsibility"]
        assert ("translation", "ecorespons") in alts["eco-responsibility"]
        assert first_path(engine, "eco-responsibility in every phase of a project") == "eco.md"


def test_a_phrasal_verb_split_by_its_object_is_translated_whole() -> None:
    """"hand the old PCs over" is "hand over" (remettre), not a hand and "over"."""
    from bot.glossary import Glossary

    glossary = Glossary.load()
    assert glossary.split_phrasal("hand its old it equipment over to".split())[0] == 5
    assert "remettre" in glossary.split_phrasal("handing the laptops over".split())[1]
    assert "collecter" in glossary.split_phrasal("picks our e-waste up".split())[1]
    # an object of up to six words: "what holds museums in the canton of Vaud back"
    assert "freiner" in glossary.split_phrasal("holds museums in the canton of vaud back".split())[1]
    assert glossary.split_phrasal("hand the form to the new team in the room over there".split()) is None  # too far
    assert glossary.split_phrasal("hand written notes".split()) is None


def test_irregular_english_verbs_find_their_entry() -> None:
    """"Who drew the diagram?": the glossary has "draw"; regular endings were already handled."""
    from bot.glossary import Glossary

    glossary = Glossary.load()
    assert "dessiner" in glossary.lookup(["drew"])[1]
    assert glossary.lookup(["overcame", "it"])[1] == glossary.lookup(["overcome"])[1]
    assert glossary.lookup(["fed"])[1] == glossary.lookup(["feed"])[1]


def test_split_phrasal_verbs_in_questions(tmp_path: Path) -> None:
    notes = {"don.md": "# Transfert\nOn peut remettre les anciens ordinateurs à un service voisin.\n",
             "main.md": "# Ergonomie\nLa main sur la souris, la main gauche.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "can we hand the old computers over to another office?")
        assert ("translation", "remettr") in alts["hand over"]
        assert first_path(engine, "can we hand the old computers over to another office?") == "don.md"


def test_a_quoted_french_title_does_not_make_an_english_question_french(engine: Engine) -> None:
    """Its stopwords (la, sur, du) outnumbered the question's own (who, the, that)."""
    from bot.query import without_quotes

    question = "Who wrote the piece 'La vérité sur l'empreinte carbone du numérique' that the museum recommends?"
    assert "vérité" not in without_quotes(question) and "recommends" in without_quotes(question)
    assert without_quotes("l'outil d'aide, c'est quoi ?") == "l'outil d'aide, c'est quoi ?"
    assert engine.searcher.understand(question).language == "en"
    assert engine.searcher.understand('c\'est quoi le « Green IT » ?').language == "fr"


def test_an_english_word_the_glossary_lacks_finds_its_french_cognate(tmp_path: Path) -> None:
    """"psychological" is in no glossary line, but its ending says the French one: the notes
    have "psychologique", so the question finds it; a guess the notes lack adds nothing."""
    from bot.glossary import french_cognates

    assert french_cognates("psychological") == ["psychologique"]
    assert french_cognates("geographically") == ["geographiquement"]
    notes = {"distance.md": "# Médiation\nLa médiation réduit la distance psychologique du visiteur.\n",
             "autre.md": "# Visite\nLa distance de la visite au musée, pour le visiteur.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        question = "Which psychological distance does mediation reduce for visitors?"
        assert ("cognate", terms(engine, "psychologique")) in alternatives(engine, question)["psychological"]
        assert first_path(engine, question) == "distance.md"
        assert all(why != "cognate" for why, _ in alternatives(engine, "Which geographical distance?")["geographical"])


def test_english_function_words_pronouns_and_acronyms(tmp_path: Path) -> None:
    """Small words of English questions that were misread: "don't" as the French "don" (a
    gift), "which one" as the number 1, "rather" as a typo of "father", and "EU", an acronym
    in capitals that is also a French stopword, left untranslated."""
    notes = {"ue.md": "# Directive\nUne directive de l'Union européenne, l'UE, sur les dons d'un terabyte.\n",
             "don.md": "# Don\nLe don de 1 ordinateur, un don.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert "don" not in alternatives(engine, "I don't work in IT, which course?")
        assert all(why != "number" for why, _ in alternatives(engine, "which one has a licence?")["one"])
        assert ("number", "1") in alternatives(engine, "one terabyte online")["one"]
        assert "rather" not in alternatives(engine, "a tool rather than an article?")
        assert any(why == "translation" for why, _ in alternatives(engine, "Which EU directive?")["eu"])


def test_a_french_question_translates_the_english_expressions_it_uses(tmp_path: Path) -> None:
    notes = {"nr.md": "# Démarche\nLe numérique responsable réduit l'empreinte des services.\n",
             "vert.md": "# Couleurs\nLe vert et le bleu des façades.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        understood = engine.searcher.understand("Qu'est-ce que le green IT pour une administration ?")
        assert understood.language == "fr"
        alts = alternatives(engine, "Qu'est-ce que le green IT pour une administration ?")
        assert ("translation", "numer respons") in alts["green it"]
        assert first_path(engine, "Qu'est-ce que le green IT pour une administration ?") == "nr.md"
        # single words stay French: "vert" is not translated (the glossary has "green")
        assert all(why != "translation" for c in alternatives(engine, "le vert des façades").values()
                   for why, _ in c)


def test_year_questions_look_for_years(tmp_path: Path) -> None:
    notes = {
        "a.md": "# Institut\nL'institut a été créé en 2018 à Paris.\n",
        "b.md": "# Institut\nL'institut propose des formations à Paris.\n",
        "c.md": "# Autre\nUn rapport publié en 2020 sur le climat.\n",
    }
    with garden_of(tmp_path, notes) as engine:
        assert first_path(engine, "en quelle année l'institut a-t-il été créé ?") == "a.md"
        assert first_path(engine, "when was the institute founded?") == "a.md"


def test_who_is_it_for_asks_for_the_audience_and_browsers_find_their_names(tmp_path: Path) -> None:
    notes = {
        "module.md": ("# Module 2\nLe module présente la gestion de projet.\n\n"
                      "## Public\nLa formation est destinée aux chefs de projet.\n"),
        "carbonviz.md": "# CarbonViz\nUne extension disponible sur Firefox ou Chrome.\n",
        "autre.md": "# Autre\nLe navigateur de fichiers du musée.\n",
    }
    with garden_of(tmp_path, notes, fillers=4) as engine:
        assert ("translation", "destin") in alternatives(engine, "Who is module 2 for?")["who … for"]
        assert engine.ask("Who is module 2 for?", 1).hits[0].heading.endswith("Public")
        assert ("synonym", "firefox") in alternatives(engine, "Which browsers?")["browsers"]
        assert engine.ask("Which browsers does CarbonViz support?", 1).hits[0].path == "carbonviz.md"
        assert "who … for" not in alternatives(engine, "Who made it?")


def test_numbers_years_and_question_words(tmp_path: Path) -> None:
    notes = {
        "stockage.md": ("# Stockage\n1 teraoctet stocké en ligne / an = 105 kg eq. CO2.\n\n"
                        "## Axes\nTrois axes de réflexion.\n"),
        "faq.md": "# Combien coûte le numérique ?\nUne question que chacun se pose.\n",
    }
    with garden_of(tmp_path, notes, fillers=4) as engine:
        # "an" (a year) is a French word of the notes, and an English stopword of the question
        assert terms(engine, "stocké par an") == "stock an"
        assert "an" not in alternatives(engine, "What is an app?")
        assert ("word", "green it") in alternatives(engine, "What is Green IT?")["green it"]
        assert ("word", "green it") in alternatives(engine, "IT for Green")["it for green"]
        assert "it" not in alternatives(engine, "is it green?")
        assert ("translation", "an") in alternatives(engine, "per year")["year"]
        # number words and digits find each other
        assert ("number", "1") in alternatives(engine, "one terabyte")["one"]
        assert ("number", "trois") in alternatives(engine, "3 axes")["3"]
        # "combien" and "how much" ask for a number; they are not what the answer is about
        assert "combien" not in alternatives(engine, "combien de CO2 par an ?")
        assert "how much" not in alternatives(engine, "How much CO2 per year?")
        assert not {"depuis", "quand"} & set(alternatives(engine, "Depuis quand le stockage coûte-t-il ?"))
        assert first_path(engine, "How much CO2 does storing one terabyte online for a year emit?") == "stockage.md"


def test_a_word_the_question_says_is_not_also_a_synonym_of_its_other_word(tmp_path: Path) -> None:
    """"numérique et digital": each word stands for itself, or every passage with one of them
    would count for both, and the note on the two words would not stand out."""
    notes = {"mots.md": "# Numérique ou digital\nLe numérique et le digital : deux mots.\n",
             "num.md": "# Numérique\nLe numérique responsable, le numérique.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "numérique et digital, même chose ?")
        assert ("synonym", "digital") not in alts["numerique"] and ("synonym", "numer") not in alts["digital"]
        assert ("synonym", "digital") in alternatives(engine, "le numérique responsable")["numerique"]
        assert first_path(engine, "numérique et digital, même chose ?") == "mots.md"


def test_a_numbered_module_finds_the_passages_named_so(tmp_path: Path) -> None:
    """"module 2" is not any passage with a 2 in it: the passages whose title or heading names
    "Module 2" carry a marker, and the question looks for it."""
    notes = {"m1.md": "# Module 1\nDurée : 1 heure, à suivre en autonomie. 2 quiz.\n",
             "m2.md": "# Module 2\nDurée : 1h15, à suivre en autonomie.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert ("label", "#l:modul:2") in alternatives(engine, "how long does module 2 take?")["2"]
        assert first_path(engine, "how long does module 2 take?") == "m2.md"
        assert first_path(engine, "combien de temps dure le module 1 ?") == "m1.md"


def test_an_ordinal_before_a_numbered_noun_finds_its_number(tmp_path: Path) -> None:
    """"the third module" is "Module 3"; "the first law in the world" is no law number 1."""
    notes = {"parcours.md": "# Parcours\nModule 3 : évaluer l'empreinte de son SI.\n",
             "autre.md": "# Autre\nModule 1 : les enjeux, en trois parties.\n"}
    with garden_of(tmp_path, notes, fillers=4) as engine:
        assert ("number", "3") in alternatives(engine, "What is the third NumEco module about?")["third"]
        assert ("number", "3") in alternatives(engine, "le troisième module")["troisieme"]
        assert first_path(engine, "What is the third NumEco module about?") == "parcours.md"
        assert all(why != "number" for why, _ in alternatives(engine, "the first law in the world")["first"])
        assert ("number", "3") not in alternatives(engine, "3 modules")["3"]  # a count is no rank
        # "module 3" names the module: it does not look for "trois" ("trois modules")
        assert all(why != "number" for why, _ in alternatives(engine, "module 3 du parcours")["3"])


def test_a_question_that_is_a_title_gets_the_start_of_the_note(tmp_path: Path) -> None:
    opening = "Les deux termes sont souvent utilisés comme des synonymes par les équipes. " * 4
    sources = "\n".join(f"- Source {i} : faut-il dire numérique ou digital, numérique, digital ?" for i in range(20))
    notes = {
        "termes.md": f"# Numérique ou digital\n{opening}\n\n{sources}\n",
        "autre.md": "# Musée\nLe musée numérique accueille les écoles.\n",
    }
    with garden_of(tmp_path, notes, fillers=3) as engine:
        hits = engine.ask("numérique ou digital", 3).hits
        assert [h.path for h in hits[:2]] == ["termes.md", "termes.md"]
        assert hits[0].text.startswith("Les deux termes") and hits[1].score > hits[0].score
        # more than the title: the best passage, as usual
        assert not engine.ask("numérique ou digital, source 15", 1).hits[0].text.startswith("Les deux termes")


def test_a_name_the_question_capitalises_is_the_notes_more_than_the_passages(tmp_path: Path) -> None:
    """"Selon Claire Dorville, que vise la loi de 2021 ?": the name says which note; the passage
    that answers seldom repeats it, so it inherits most of the note's score for the name."""
    notes = {"episode.md": ("# Épisode 6\nClaire Dorville, du CGDD, présente la loi de 2021 aux agents.\n\n"
                            "## Transcription\nLa loi de 2021 vise des réseaux plus sobres.\n"),
             "loi.md": "# Loi\nLa loi de 2019 encadre les achats.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        understood = engine.searcher.understand("Selon Claire Dorville, que vise la loi de 2021 ?")
        assert {c.surface for c in understood.concepts if c.named} == {"claire", "dorville", "2021"}  # the law of 2021
        hit = engine.ask("Selon Claire Dorville, que vise la loi de 2021 ?", 3).hits[0]
        assert hit.path == "episode.md" and "réseaux plus sobres" in hit.text
        from bot.search import _names

        assert _names("au musée de Lyon-Fourvière, à L’Académie") == {"lyon-fourviere", "lyon", "fourviere",
                                                                     "academie"}
        # a capital that only begins the question or a sentence is no name; an acronym the notes
        # do not use neither
        assert not any(c.named for c in engine.searcher.understand("Loi de la DINUM. Vise quoi ? INR").concepts)


def test_a_name_found_only_in_one_section_names_that_section(tmp_path: Path) -> None:
    """A page of tools, one section each: "Miro" names its own section, not the page. Before,
    the Github section inherited the name from its sibling and won with the question's other
    words. A name the note's opening gives still lends itself to every passage of the note."""
    notes = {
        "outils.md": ("# Les outils de l'équipe\nNos outils au quotidien.\n\n"
                      "## Github\nLe code partagé : curseurs et collègues, historique des collègues.\n\n"
                      "## Miro\nUn tableau blanc en ligne, avec des curseurs.\n"),
        "episode.md": ("# Épisode 6\nClaire Dorville, du CGDD, présente la loi.\n\n"
                       "## Transcription\nLa loi vise des réseaux plus sobres, un travail de fond.\n"),
    }
    with garden_of(tmp_path, notes, fillers=6) as engine:
        hit = engine.ask("Dans Miro, voit-on les curseurs des collègues ?", 3).hits[0]
        assert hit.path == "outils.md" and hit.heading.endswith("Miro")
        hit = engine.ask("Selon Claire Dorville, que vise la loi ?", 3).hits[0]
        assert hit.path == "episode.md" and "réseaux plus sobres" in hit.text


def test_a_rare_acronym_names_a_note_a_common_one_does_not(tmp_path: Path) -> None:
    """"Selon l'INR, …": the INR is named in its note's opening only; the passage that answers
    does not repeat it, and another note says "service sobre" more often. An acronym that many
    passages use ("DINUM" on the DINUM's site) names no note."""
    notes = {"inr.md": ("# Institut\nL'INR publie un guide.\n\n"
                        "## Conseils\nUn service sobre est écoconçu dès sa conception.\n"),
             "autre.md": "# Services\nUn service sobre, un service écoconçu, un service sobre.\n",
             **{f"dinum{i}.md": f"# Actualité {i}\nLa DINUM publie la note {i}.\n" for i in range(5)}}
    with garden_of(tmp_path, notes, fillers=60) as engine:
        question = "Selon l'INR, comment rendre un service sobre ?"
        assert {c.surface for c in engine.searcher.understand(question).concepts if c.named} == {"inr"}
        hit = engine.ask(question, 3).hits[0]
        assert hit.path == "inr.md" and hit.heading.endswith("Conseils")
        assert not any(c.named for c in engine.searcher.understand("Selon la DINUM, un service sobre ?").concepts)


def test_a_year_names_a_note_like_a_name(tmp_path: Path) -> None:
    """"Le stand du salon 2025": the year says which edition; the section that answers does not
    repeat it, and last year's page repeats the other words more."""
    from bot.search import _names

    # the years the passages' year marker reads (cues.YEAR_RE): 1889 too, but no part of 20231
    assert _names("le salon 2025, 3,2018 kg, 12018 visiteurs, 20231 inscrits, l'expo de 1889") == {"2025", "1889"}
    notes = {"salon25.md": ("# Salon\nLe salon de 2025 à Paris.\n\n"
                            "## Programme\nLe stand propose trois ateliers sur la sobriété.\n"),
             "salon24.md": ("# Salon\nLe salon de 2024 : le stand propose trois ateliers sur la sobriété ; "
                            "ateliers et sobriété au stand.\n")}
    with garden_of(tmp_path, notes, fillers=20) as engine:
        hit = engine.ask("Quels ateliers sur la sobriété au stand du salon 2025 ?", 3).hits[0]
        assert hit.path == "salon25.md" and hit.heading.endswith("Programme")


def test_a_domain_name_in_the_question_names_the_site(tmp_path: Path) -> None:
    """"the share of RGAA criteria ecoresponsable.numerique.gouv.fr meets": the domain says
    which page; the passage with the figure does not repeat it."""
    from bot.search import _names

    assert _names("le site ecoresponsable.numerique.gouv.fr") == {"ecoresponsable", "numerique", "gouv", "fr"}
    notes = {"a11y.md": ("# Accessibilité\nLe site ecoresponsable.numerique.gouv.fr suit le RGAA.\n\n"
                         "## Résultats\nL'audit montre que 100% des critères du RGAA sont respectés.\n"),
             "rgaa.md": "# RGAA\nLe RGAA compte 106 critères, dont 50% sur les images.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        hit = engine.ask("quelle part des critères du RGAA le site ecoresponsable.numerique.gouv.fr respecte ?",
                         3).hits[0]
        assert hit.path == "a11y.md" and "100%" in hit.text


def test_a_domain_name_is_one_notion(tmp_path: Path) -> None:
    """As four concepts, "gouv" and "fr" outweighed the rest of the question, and any page that
    names the site came first; as one, it weighs like one rare word, and its own name ("mentor")
    stands for it where a passage lacks the whole domain."""
    notes = {"legal.md": ("# Mentions légales\nLe site ecoresponsable.numerique.gouv.fr est édité par la "
                          "DINUM. Contact : www.numerique.gouv.fr, gouv.fr, adresse.fr.\n"),
             "config.md": ("# Déclaration\nLe site s'affiche sur tout téléphone mobile datant de 2014 "
                           "ou après.\n"),
             "mooc.md": "# MOOC\nLes modules sont sur mentor.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "le site ecoresponsable.numerique.gouv.fr sur un téléphone mobile")
        assert alts["ecoresponsable.numerique.gouv.fr"][0] == ("word", "ecorespons numer gouv fr")
        assert not {"gouv", "fr"} & set(alts)
        assert engine.searcher.understand("site ecoresponsable.numerique.gouv.fr").concepts[-1].named
        hit = engine.ask("quel téléphone mobile affiche le site ecoresponsable.numerique.gouv.fr ?", 3).hits[0]
        assert hit.path == "config.md"
        assert ("word", "mentor") in alternatives(engine, "modules sur mentor.gouv.fr")["mentor.gouv.fr"]
        # only the words the domain spelt: a "numérique" asked on its own is still asked
        alts = alternatives(engine, "le numérique mobile sur www.ecoresponsable.numerique.gouv.fr")
        assert "numerique" in alts and "www.ecoresponsable.numerique.gouv.fr" in alts


def test_a_hyphenated_word_is_one_notion(tmp_path: Path) -> None:
    """"l'étude ADEME-Arcep" counted ademe, arcep and ademearcep as three words of the question:
    the page that names the study outweighed the one that answers. Its whole and its parts are
    now two ways of writing one concept."""
    notes = {"etude.md": "# Actualité\nL'ADEME et l'Arcep publient l'étude ADEME-Arcep sur l'impact du numérique.\n",
             "terminaux.md": "# Terminaux\nSelon l'ADEME, les terminaux sont à l'origine de 65 à 90 % de l'impact.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        alts = alternatives(engine, "impact des terminaux ADEME-Arcep")
        assert alts["ademe-arcep"] == [("word", "ademearcep"), ("word", "adem arcep")]
        assert "ademe" not in alts and "arcep" not in alts
        assert engine.ask("impact des terminaux ADEME-Arcep", 3).hits[0].path == "terminaux.md"
        # the same word asked on its own as well stays a word of its own
        asked = [c.surface for c in engine.searcher.understand("l'ADEME et l'étude ADEME-Arcep").concepts]
        assert asked.count("ademe-arcep") == 1 and asked.count("ademe") == 1 and "arcep" not in asked


def test_a_near_tie_in_one_note_goes_to_the_passage_that_matches_more_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A MuseumXTD note: its opening passage (the article's title and a one-line summary) is
    short; its "À retenir" list, longer, holds the word asked about. Both carry the title, so
    within 10% of each other the passage that matches more of the question itself comes first."""
    import bot.search

    note = ("### [Objets culturels](https://a.org)\nJeffrey Schnapp parle de la vie des objets culturels.\n\n"
            "## A retenir\n- Pour Jeffrey Schnapp, les métadonnées racontent la vie des objets, leurs usages, "
            "leurs déplacements, leurs restaurations et leurs transformations dans les collections, les "
            "inventaires et les archives des musées, des bibliothèques, des centres de recherche et des "
            "fondations privées.\n")
    question = "Que dit Jeffrey Schnapp des métadonnées et de la vie des objets culturels ?"
    with garden_of(tmp_path, {"vie.md": note}, fillers=6) as engine:
        hits = engine.searcher.search(question, 2).hits
        assert [h.record["heading"][-1] for h in hits] == ["A retenir", "Objets culturels"]
        assert hits[0].own > hits[1].own and hits[0].score < hits[1].score  # the list scored a little less
        # the same with a quoted phrase both passages contain (the article's title)
        quoted = "Que dit Jeffrey Schnapp des métadonnées et de la vie des « objets culturels » ?"
        assert engine.searcher.search(quoted, 1).hits[0].record["heading"][-1] == "A retenir"
        monkeypatch.setattr(bot.search, "SAME_NOTE_TIE", 0.0)  # without the rule, the summary came first
        assert engine.searcher.search(question, 1).hits[0].record["heading"][-1] == "Objets culturels"
        assert engine.searcher.search(quoted, 1).hits[0].record["heading"][-1] == "Objets culturels"


def test_a_note_that_never_names_the_asked_name_scores_less(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"L'auteur de l'outil CodeCarbon": a page listing tools that never names CodeCarbon
    matches "outil" and "auteur" in fewer words; the tool's own page names it. A note that
    names none of the question's names scores NAME_MISSING of its score."""
    import bot.search

    notes = {"liste.md": ("# Outils\nChaque outil de la liste a un auteur, une licence, une fiche et un "
                          "site : Ecoindex, Greenspector, Fruggr, Scaphandre, Kepler, Boavizta, Lighthouse.\n"),
             "codecarbon.md": "# Fiche\nCodeCarbon mesure le carbone. Son auteur est MILA.\n"}
    question = "Qui est l'auteur de l'outil CodeCarbon ?"
    with garden_of(tmp_path, notes, fillers=20) as engine:
        assert first_path(engine, question) == "codecarbon.md"
        monkeypatch.setattr(bot.search, "NAME_MISSING", 1.0)
        assert first_path(engine, question) == "liste.md"  # without the rule


def test_one_note_does_not_fill_the_answer(tmp_path: Path) -> None:
    """A long note that names the question's words in every section gives two passages, then
    the other notes have their turn."""
    long_note = "# Partenaires\n" + "".join(
        f"\n## Partenaire {i}\nUn partenaire suisse du projet, numéro {i}.\n" for i in range(6))
    notes = {"long.md": long_note, "inr.md": "# INR\nL'INR suisse est un partenaire.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        hits = engine.ask("partenaire suisse", 5).hits
        assert [h.path for h in hits[:3]].count("long.md") == 2
        assert "inr.md" in [h.path for h in hits[:3]]


def test_a_rare_counted_word_does_not_outweigh_the_rest_of_the_question(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Combien de visiteurs … en 2024": last year's report counts its visitors ("12 000
    visiteurs"), this year's gives a share; the counted marker weighs twice its BM25 weight, so
    the year and the site of the question still decide."""
    import bot.expand

    notes = {"bilan2022.md": "# Bilan 2022\nLe site a reçu 12 000 visiteurs cette année-là.\n",
             "bilan2024.md": "# Bilan 2024\nEn 2024, le site de la mission : + 4,5% de visiteurs sur le site.\n"}
    question = "de combien a augmenté le nombre de visiteurs du site en 2024 ?"
    # at the weight it had, the count won
    assert firsts_now_and_with(tmp_path, monkeypatch, notes, question, (bot.expand, "COUNTED_WEIGHT", 3.0)) == (
        "bilan2024.md", "bilan2022.md")


def firsts_now_and_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notes: dict[str, str], question: str,
                        setting: tuple[object, str, object]) -> tuple[str, str]:
    """The note of the first answer as the engine is, then with one module setting changed."""
    firsts = []
    for label in ("now", "changed"):
        if label == "changed":
            monkeypatch.setattr(*setting)
        (tmp_path / label).mkdir()
        with garden_of(tmp_path / label, notes, fillers=20) as engine:
            firsts.append(first_path(engine, question))
    return firsts[0], firsts[1]


def test_english_place_names_and_attendance_are_translated(tmp_path: Path) -> None:
    """"Basel", "Sweden": the notes write "Bâle", "Suède"; other notes share the question's
    other words. "in person" (only "in-person" had a line) is "en présentiel"."""
    notes = {"en-ligne.md": "# Atelier du mardi\nL'atelier du mardi se tient en ligne.\n",
             "sur-site.md": "# Atelier du jeudi\nL'atelier du jeudi se tient en présentiel.\n",
             "bale.md": "# Musées\nLes musées de Bâle ouvrent leurs collections en ligne.\n",
             "suede.md": "# Stratégie\nLe musée national de Suède présente sa stratégie.\n",
             "lyon.md": "# Lyon\nLes musées de Lyon et leurs collections en ligne, en ligne.\n",
             "strategie.md": "# Stratégie\nLa stratégie du musée national, une stratégie.\n"}
    asked = {"Do the Basel museums put their collections online?": "bale.md",
             "national museum of Sweden strategy": "suede.md",
             "Which workshop is held in person?": "sur-site.md"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        assert {question: first_path(engine, question) for question in asked} == asked


def without_marker(marker: str) -> tuple[object, str, object]:
    """The setting that stops passages from being marked with one type stated in words."""
    return cues, "_STATED_IN_WORDS", tuple(p for p in cues._STATED_IN_WORDS if p[0] != marker)


def test_where_finds_the_section_that_gives_the_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An event page's opening names the workshop three times; its "Modalités pratiques" section
    says where it is held ("Lieu : Noisy-le-Grand"). "Where … held?" asks for a place, so that
    section comes first; without the place marker the opening did."""
    notes = {"atelier.md": ("# Atelier Phone Impact\nL'atelier Phone Impact : un atelier de jeu sérieux sur "
                            "l'impact des smartphones. Venez à l'atelier Phone Impact.\n\n"
                            "## Modalités pratiques\nLieu : Noisy-le-Grand\n\nInscription obligatoire.\n"),
             "jeux.md": "# Jeux\nD'autres ateliers de jeu sur les smartphones.\n"}
    firsts = []
    for label in ("now", "changed"):
        if label == "changed":
            monkeypatch.setattr(*without_marker(cues.PLACE))
        (tmp_path / label).mkdir()
        with garden_of(tmp_path / label, notes, fillers=20) as engine:
            hit = engine.ask("Where is the Phone Impact workshop held?", 3).hits[0]
            firsts.append((hit.path, hit.heading.split(" › ")[-1]))
    assert firsts == [("atelier.md", "Modalités pratiques"), ("atelier.md", "Atelier Phone Impact")]


def test_for_whom_finds_the_passage_that_names_the_audience(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Pour quels profils…" names no word of the answer ("s'adresse principalement aux chefs de
    projet"); the page that repeats the question's other words came first. The question asks for
    an audience, and the passage that states one now comes first."""
    notes = {"icr.md": "# ICR\nL'ICR secteur public adapte l'index au secteur public.\n",
             "video.md": ("# Vidéo\nMélanie explique que l'ICR du secteur public s'adresse principalement aux "
                          "chefs de projet et aux designers.\n")}
    question = "Pour quels profils l'ICR secteur public a-t-il été pensé ?"
    assert firsts_now_and_with(tmp_path, monkeypatch, notes, question,
                               without_marker(cues.AUDIENCE)) == ("video.md", "icr.md")


def test_a_public_section_answers_for_whom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A training page says whom it is for under a "## Public" heading, in words that never say
    "destiné"; the heading marks the section as an audience, so "à qui s'adresse…" finds it."""
    notes = {"formation.md": ("# Formation écoconception\n## Programme\nLa formation écoconception présente "
                              "l'écoconception des services.\n\n## Public\nAgents de l'État travaillant dans "
                              "le numérique.\n")}
    headings = []
    for label in ("now", "changed"):
        if label == "changed":
            monkeypatch.setattr(cues, "_HEADING_STATES", ())
        (tmp_path / label).mkdir()
        with garden_of(tmp_path / label, notes, fillers=20) as engine:
            headings.append(engine.ask("À qui s'adresse la formation écoconception ?", 3).hits[0].heading)
    assert headings[0].endswith("Public") and not headings[1].endswith("Public")


def test_a_long_notes_chance_match_scores_less(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A transcript of 42 passages has one that meets the question's everyday words a little
    better than the short note about it; passages of long notes score less, so the short note
    comes first."""
    import bot.search

    sections = "".join(f"## Partie {i}\nOn parle du sujet {i} pendant l'émission.\n\n" for i in range(40))
    notes = {"emission.md": ("# Émission\nUne longue émission.\n\n" + sections
                             + "## Échanges\nLes gens réparent leurs téléphones : réparer son téléphone.\n"),
             "atelier.md": "# Atelier\nDans cet atelier de quartier, les gens réparent leur téléphone.\n"}
    question = "les gens réparent leur téléphone ?"
    # without the rule, the transcript's window comes first
    assert firsts_now_and_with(tmp_path, monkeypatch, notes, question, (bot.search, "LONG_NOTE_DOWN", 0.0)) == (
        "atelier.md", "emission.md")


def test_the_note_plainly_asked_about_still_gives_its_third_passage_early(tmp_path: Path) -> None:
    """Two passages per note come first, but not before passages that score far less: the
    speaker of the third session is in the note's third passage."""
    event = ("# Vivatech\nLe stand numérique de l'État à Vivatech.\n\n## Jeudi\nAtelier IA au stand Vivatech.\n\n"
             "## Vendredi\nPierre Martin, ministère de l'économie, au stand Vivatech.\n")
    notes = {"vivatech.md": event, "autre.md": "# Ministères\nLe ministère de la culture et son budget.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        hits = engine.ask("qui du ministère de l'économie au stand Vivatech ?", 5).hits
        assert [h.path for h in hits[:3]] == ["vivatech.md"] * 3
        assert any("Pierre Martin" in h.text for h in hits[:3])


def test_of_two_windows_of_a_section_that_tie_the_first_comes_first(tmp_path: Path) -> None:
    from bot.search import Hit

    paragraphs = "\n\n".join(f"Paragraphe {i} : le terme numérique et le terme digital." for i in range(40))
    notes = {
        "termes.md": f"# Termes\n{paragraphs}\n",
        "autre.md": "# Autre\nRien à voir.\n",
    }
    with garden_of(tmp_path, notes) as engine:
        searcher = engine.searcher
        windows = [h.passage for h in searcher.search("paragraphe terme", 10).hits
                   if h.record["path"] == "termes.md"]
        first, later = min(windows), max(windows)
        assert first != later  # the section was cut into windows

        def order(first_score: float) -> list[int]:
            hits = [Hit(later, 10.0, {}, 1.0), Hit(first, first_score, {}, 1.0)]
            return [h.passage for h in searcher._section_start_on_ties(hits, 5)]

        assert order(9.7) == [first, later]  # within 5%: where the section starts
        assert order(9.0) == [later, first]  # clearly behind: score order


def test_a_passage_with_more_of_the_question_beats_one_repeating_part_of_it(tmp_path: Path) -> None:
    notes = {
        "repeats.md": "# Notes\nSobriété et écoconception, sobriété et écoconception, sobriété et écoconception.\n",
        "all.md": "# Guide\nLa sobriété par l'écoconception des services publics dans chaque administration.\n",
        "pub.md": "# Public\nLes services publics.\n",
    }
    with garden_of(tmp_path, notes, fillers=4) as engine:
        # BM25's sum prefers the two words said three times; all three words said once come first
        hits = engine.ask("sobriété écoconception publics", 2).hits
        assert [h.path for h in hits] == ["all.md", "repeats.md"]


def test_a_stated_answer_type_is_a_fixed_bonus_whatever_the_passage_length(tmp_path: Path) -> None:
    # the passage must state the year itself: its note's other section does not lend it
    notes = {
        "short.md": "# Institut\nInstitut fondé en 2018.\n",
        "long.md": "# Musée\nLe musée et son institut, fondés en 2019, " + "puis agrandis " * 60 + "\n",
        "none.md": "# Autre\nUn institut sans date.\n",
        "sections.md": "# Formations\nL'institut forme les agents.\n\n## Histoire\nFondé en 2017.\n",
    }
    with garden_of(tmp_path, notes) as engine:
        searcher = engine.searcher
        understood = searcher.understand("en quelle année l'institut ?")
        cue = [c for c in understood.concepts if c.answer_cue]
        assert [c.surface for c in cue] == ["(year asked)"]
        hits = engine.ask("institut", 10).hits
        candidates = np.array(sorted(h.passage for h in hits))
        cand_notes = np.asarray(searcher.files.doc_note[candidates])
        added, _, _ = searcher._combine(candidates, cand_notes, searcher._parts(cue))  # what the cue adds
        by_passage = dict(zip(candidates.tolist(), added.tolist(), strict=True))
        bonus = {(h.path, h.heading): by_passage[h.passage] for h in hits}
        assert bonus[("none.md", "Autre")] == pytest.approx(0)
        assert bonus[("sections.md", "Formations")] == pytest.approx(0)
        assert bonus[("short.md", "Institut")] == pytest.approx(bonus[("long.md", "Musée")])
        assert bonus[("short.md", "Institut")] > 1


def test_a_misspelt_question_word_still_asks_and_is_not_searched(tmp_path: Path) -> None:
    """"en quelle anée": "anée" is unknown, so it weighed like the rarest word of the question and
    asked nothing; it is read back to "année" (one edit, known to no note and no dictionary)."""
    notes = {"verdier.md": "# Verdier\nJ'ai commencé à faire du numérique en 1995.\n",
             "data.md": "# Données\nLes data et la date de collecte.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        for question in ("il a commencé en quelle anée ?", "combein de data ?"):
            understood = engine.searcher.understand(question)
            surfaces = [c.surface for c in understood.concepts]
            assert any(c.answer_cue for c in understood.concepts), question
            assert "anee" not in surfaces and "combein" not in surfaces, question
        assert "data" in [c.surface for c in engine.searcher.understand("combien de data ?").concepts]  # a known word


def test_who_looks_for_the_passage_that_says_by_whom(tmp_path: Path) -> None:
    """"Qui anime l'atelier Fresque ?": the programme repeats the workshop's name; the line that
    answers says "animé par <Name>" once."""
    notes = {
        "programme.md": ("# Semaine NumEco\nL'atelier Fresque du numérique ouvre la semaine. Atelier "
                         "Fresque, puis pause.\n"),
        "atelier.md": "# Inscription\nL'atelier Fresque est animé par **Gaëlle Mangeon**.\n",
    }
    with garden_of(tmp_path, notes, fillers=6) as engine:
        question = "Qui anime l'atelier Fresque ?"
        assert [c.surface for c in engine.searcher.understand(question).concepts if c.answer_cue] == ["(agent asked)"]
        assert first_path(engine, question) == "atelier.md"
        assert first_path(engine, "l'atelier Fresque") == "programme.md"  # without "who", as before


def test_the_word_naming_the_asked_type_is_not_searched(tmp_path: Path) -> None:
    notes = {
        "a.md": "# Institut\nL'institut a été créé en 2018 à Paris.\n",
        "b.md": "# Bonne année\nBonne année 2025 à tout l'institut !\n",
    }
    with garden_of(tmp_path, notes, fillers=4) as engine:
        question = "En quelle année l'institut a-t-il été créé ?"
        assert "annee" not in alternatives(engine, question)  # the year marker stands for it
        assert first_path(engine, question) == "a.md"
        assert "annee" in alternatives(engine, "une année de formation")


def test_a_translated_phrase_counts_by_the_share_of_its_words_found(tmp_path: Path) -> None:
    notes = {
        "full.md": ("# Climat\nLe numérique émet des gaz à effet de serre, "
                    "comme beaucoup d'autres secteurs de l'économie française.\n"),
        "partial.md": "# Mode\nUn effet de mode.\n",
    }
    with garden_of(tmp_path, notes, fillers=4) as engine:
        scores = {h.path: h.score for h in engine.ask("greenhouse gas", 5).hits}
        # one word of three, even in a much shorter passage, is far from the whole phrase
        assert scores["partial.md"] < scores["full.md"] / 6


def test_how_many_questions_prefer_the_passage_that_counts_the_thing(tmp_path: Path) -> None:
    notes = {
        "a.md": ("# Visites guidées à distance des monuments\nLes monuments nationaux proposent des visites guidées "
                 "à distance, et les monuments ont évalué les visites guidées à distance.\n\n"
                 "## À retenir\nUne recherche auprès de 12 monuments.\n"),
        "b.md": "# Autre\nUn rapport sur 30 écoles.\n",
    }
    with garden_of(tmp_path, notes) as engine:
        question = "Combien de monuments ont testé les visites guidées à distance ?"
        assert engine.ask(question, 1).hits[0].heading.endswith("À retenir")
        assert alternatives(engine, "How many monuments?")["(number of monuments)"] == [("counted", "#n:monu")]


def test_a_counted_phrase_is_counted_by_its_head_noun(tmp_path: Path) -> None:
    """"how many social networks" is answered by "deux réseaux sociaux": the French phrase
    `réseau social` is counted by its first word, the English one by its last."""
    notes = {"reseaux.md": ("# Réseaux sociaux\nLes réseaux sociaux des musées, Facebook et Instagram.\n\n"
                            "## Conseil\nAvec peu de moyens, privilégiez 2 réseaux sociaux.\n"),
             "autre.md": "# Autre\nTrois musées et 12 salles.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        counted = alternatives(engine, "how many social networks should a museum use?")
        assert ("counted", "#n:reseau") in counted["(number of social networks)"]
        hit = engine.ask("how many social networks should a museum use?", 1).hits[0]
        assert hit.heading == "Réseaux sociaux › Conseil"


def test_how_many_people_is_answered_by_a_count_of_any_kind_of_people(tmp_path: Path) -> None:
    notes = {"comparia.md": ("# Comparateur d'IA\nLe comparateur d'IA du ministère de la Culture compare les IA.\n\n"
                             "## Bilan\nAprès plus de 200 000 utilisateurs en France, il s'ouvre à l'Europe.\n"),
             "salle.md": "# Salle\nLa salle du comparateur accueille 30 tables.\n"}
    with garden_of(tmp_path, notes, fillers=6) as engine:
        counted = alternatives(engine, "Combien de personnes ont utilisé le comparateur ?")["(number of personnes)"]
        assert ("counted", "#n:utilisateur") in counted
        hit = engine.ask("Combien de personnes ont utilisé le comparateur d'IA ?", 1).hits[0]
        assert "200 000 utilisateurs" in hit.text


def test_explain_shows_how_the_question_was_read(garden: Path, tmp_path: Path) -> None:
    env = dict(os.environ, NOTESBOT_INDEX_DIR=str(tmp_path / "cli-index"))
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--explain", "--corpus", str(garden), "--top", "1",
         "how to recyle laptops with Emmaus tag:dechets -musée"],
        capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    assert "language: en" in out
    assert "emmaus: " in out and "[name" in out.split("emmaus: ")[1].splitlines()[0]
    assert "(translation" in out
    assert "(typo" in out
    assert "tags: dechets" in out and "excluded: musée" in out
    assert "recyclage" in out.lower()


def test_a_community_glossary_adds_its_own_terms(garden: Path, tmp_path: Path) -> None:
    (garden / "notesbot.yaml").write_text("glossary: terms.tsv\n", encoding="utf-8")
    (garden / "terms.tsv").write_text("# our words\nfield trip\tvisite guidée\n", encoding="utf-8")
    engine, _ = Engine.open([garden], tmp_path / "index2")
    try:
        alts = alternatives(engine, "a field trip for schools")
        assert ("translation", terms(engine, "visite guidée")) in alts["field trip"]
        assert first_path(engine, "a field trip for schools") == "musee.md"
    finally:
        engine.close()


def test_translation_can_be_turned_off_per_corpus(garden: Path, tmp_path: Path) -> None:
    (garden / "notesbot.yaml").write_text("translate: false\n", encoding="utf-8")
    engine, _ = Engine.open([garden], tmp_path / "index3")
    try:
        understood = engine.searcher.understand("how do I recycle my laptops?")
        assert not any(a.why == "translation" for c in understood.concepts for a in c.alternatives)
    finally:
        engine.close()
