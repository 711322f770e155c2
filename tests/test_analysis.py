"""Text -> index terms: folding, elisions, stopwords, stems, numbers and compounds (public behaviour)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analysis import Analyzer, data_digest, fold

FR = Analyzer(("fr",))


def test_fold_lowercases_drops_accents_and_unifies_apostrophes() -> None:
    assert fold("Élève À l’ÉCOLE, Œuvre cœur") == "eleve a l'ecole, oeuvre coeur"
    assert fold("Cafe\u0301") == fold("Café") == "cafe"  # NFD and NFC fold alike
    assert fold("l‘x l`y l´z") == "l'x l'y l'z"


def test_case_and_accents_do_not_matter() -> None:
    assert FR.terms("ÉCOCONCEPTION Numérique") == FR.terms("ecoconception numerique")
    assert FR.terms("Cafe\u0301 e\u0301quitable") == FR.terms("Café équitable")


@pytest.mark.parametrize(("elided", "plain"), [
    ("l’école", "école"), ("l'école", "école"), ("L’ÉCOLE", "école"),
    ("d’équipements", "équipements"), ("d'équipements", "équipements"),
    ("qu’il recycle", "recycle"), ("qu'il recycle", "recycle"),
    ("l’empreinte", "l'empreinte"),
])
def test_elisions_are_split_off(elided: str, plain: str) -> None:
    assert FR.terms(elided) == FR.terms(plain)
    assert FR.terms(elided)


def test_french_and_english_stopwords_are_dropped() -> None:
    assert FR.terms("le la les des du de un une et ou à qui que dans pour sur avec") == []
    assert FR.terms("the of and or to in on for with is are what which who whom whose") == []
    assert FR.terms("also besides according whether however although though every") == []
    assert FR.terms("le recyclage des ordinateurs") == FR.terms("recyclage ordinateurs")
    # degree words compare, they do not say what about: "pollue autant que les avions"
    assert FR.terms("pollue autant que les avions") == FR.terms("pollue avions")
    assert FR.terms("beaucoup trop tellement assez davantage tant") == []
    assert FR.terms("selon l'INR, d'après l'ADEME") == ["inr", "adem"]  # who says it is the word that counts
    # modal verbs, like English "can", "should", "must": "faut-il effacer" is about erasing
    assert FR.terms("Faut-il effacer ? Doit-on donner ? Peut-on vendre ?") == FR.terms("effacer donner vendre")
    # in capitals, an English stopword is an acronym: "Green IT" is not "green it"
    assert FR.terms("Green IT, IT for Green") == ["green", "green", "it", "it"]
    assert FR.terms("is it green?") == ["green"]
    # French ones too ("son SI", "marquage CE", "norme EN 301 549"), unless the whole text shouts
    assert FR.terms("empreinte de son SI, marquage CE") == ["empreint", "marquag", "si", "ce"]
    assert FR.terms("si on part") == ["part"] and FR.terms("QUEL EST LE PRIX") == ["prix"]
    # locutions are grammar: "au cours de sa vie" is not about a course
    assert FR.terms("au cours de sa vie, dans le cadre d'un projet") == ["vi", "projet"]
    assert FR.terms("les cours en ligne, le cadre légal") == FR.terms("cours ligne cadre légal")
    # "avoir lieu" (to take place) is no place: "quand a lieu l'événement" asks a date
    assert FR.terms("l'événement a lieu en 2025, il a eu lieu à Paris") == FR.terms("événement 2025 Paris")
    assert "lieu" in FR.terms("le lieu de l'événement")
    words = FR.words("au cours d'une vie")  # blanked, not removed: offsets still point at the word
    assert [("au cours d'une vie"[w.start:w.end], w.term) for w in words] == [("vie", "vi")]
    # question words and conjunctions ask, they are not topics ("when" and "how" are English stopwords)
    assert FR.terms("quand et comment recycler ? pourquoi, lorsqu'on donne") == FR.terms("recycler donne")
    # "an" is French for a year
    assert FR.terms("105 kg par an") == ["105", "kg", "an"]
    # conversational fillers are not topics: only "numérique" and "digital" are
    assert FR.terms("Numérique et digital, c'est vraiment exactement la même chose ?") == ["numer", "digital"]
    assert FR.terms("what does it actually do, really?") == []
    # "à peu près" (about) and "dans la durée" (over time) are locutions, typed with accents or not
    assert FR.terms("à peu près 3 fichiers, a peu pres 3 fichiers") == ["3", "fichi"] * 2
    assert FR.terms("suivre dans la durée") == FR.terms("suivre dans la duree") == ["suivr"]
    assert FR.terms("Que veut dire IT for Green ?") == ["green", "it"]  # "veut dire" asks, it is no topic
    assert FR.terms("une courbe au fil du temps") == FR.terms("une courbe")
    assert FR.terms("Existe-t-il une courbe ?") == FR.terms("il existe une courbe") == ["courb"]
    assert FR.terms("tous les deux ans, toutes les courbes") == ["deux", "an", "courb"]


def test_storage_units_after_a_number_also_index_the_full_word() -> None:
    # "To" is also the English stopword "to"; "3 to 5" stays a range
    assert FR.terms("3 To de fichiers") == ["3", "fichi", FR.stem("téraoctet")]
    assert FR.terms("2 TB")[-1] == FR.stem("téraoctet")
    assert set(FR.terms("8 Ko, 500 Go")) >= {FR.stem("kilooctet"), FR.stem("gigaoctet")}
    assert FR.terms("from 3 to 5") == ["3", "5"]


def test_snowball_stems_join_inflections() -> None:
    assert FR.terms("ordinateurs") == FR.terms("ordinateur")
    assert FR.terms("formations") == FR.terms("formation")
    assert FR.terms("recyclés") == FR.terms("recyclé")
    en = Analyzer(("en",))
    assert en.terms("computers") == en.terms("computer")
    assert en.terms("recycling") == en.terms("recycled")


@pytest.mark.parametrize(("text", "number"), [("30 minutes", "30"), ("un MOOC de 4h30", "4h30"),
                                              ("2018", "2018")])
def test_numbers_are_kept_whole(text: str, number: str) -> None:
    assert number in FR.terms(text)


def test_decimal_numbers_stay_one_term() -> None:
    terms = FR.terms("3,8% des émissions")
    decimals = [t for t in terms if "3" in t and "8" in t]
    assert len(decimals) == 1 and "3" not in terms and "8" not in terms
    assert decimals == [t for t in FR.terms("3,8 %") if "3" in t]
    assert FR.terms("4h30") != FR.terms("4 h 30")


def test_hyphenated_compounds_match_their_parts_and_the_joined_word() -> None:
    compound = set(FR.terms("éco-conception"))
    assert set(FR.terms("écoconception")) <= compound
    assert set(FR.terms("conception")) <= compound
    assert FR.terms("a-t-il est-ce") == []
    # a pronoun after the hyphen makes no compound; another stopword does, whatever the language
    both = Analyzer(("fr", "en"))
    assert [w.surface for w in both.words("elle-même doit-on")] == []
    assert [w.surface for w in both.words("One-by-One")] == ["one", "one", "one-by-one"]
    assert "end-of-life" in [w.surface for w in both.words("end-of-life")]


def test_words_pair_the_folded_surface_with_its_term() -> None:
    text = "Les Durées : 30 minutes"
    words = FR.words(text)
    assert [w.surface for w in words] == ["durees", "30", "minutes"]
    assert [w.term for w in words] == FR.terms(text)


def test_word_list_edits_change_the_signature(tmp_path: Path) -> None:
    # Saved indexes are keyed by the signature: editing a stopword or stem list must rebuild them,
    # version bump or not.
    folders = {}
    for name, stop, stems in (("base", "le la", "donnees donnee"), ("stop", "le la les", "donnees donnee"),
                              ("stems", "le la", "donnees donnee\ndata data")):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        (folders[name] / "stopwords-fr.txt").write_text(stop, encoding="utf-8")
        (folders[name] / "stems-fr.txt").write_text(stems, encoding="utf-8")
    digests = {name: data_digest(folder) for name, folder in folders.items()}
    assert len(set(digests.values())) == 3
    assert Analyzer().signature.endswith(":" + data_digest())


def test_feminine_and_masculine_agent_nouns_meet() -> None:
    """Inclusive French writes "cheffe ou chef de projet", "formatrices et formateurs": Snowball
    stems some feminine forms like the masculine one and leaves others apart."""
    for feminine, masculine in [("cheffe", "chef"), ("formatrice", "formateur"), ("directrice", "directeur"),
                                ("ambassadrices", "ambassadeurs"), ("autrice", "auteur"),
                                ("développeuses", "développeur")]:
        assert FR.terms(feminine) == FR.terms(masculine), feminine
    assert FR.terms("matrice") != FR.terms("mateur")  # a short "-trice" word is no agent noun


def test_stem_overrides_keep_apart_words_snowball_merges() -> None:
    # Snowball stems "données" like "don", "publications" like "publique", "collectivités" like
    # "collecte", "communication" like "commune"; the override list keeps each apart.
    assert FR.terms("données donnée") == ["donnee", "donnee"] != FR.terms("don donner")[:1] * 2
    assert FR.terms("don donner dons") == ["don"] * 3
    assert FR.terms("publications")[0] != FR.terms("publique")[0] == FR.terms("public")[0]
    assert len({FR.terms(w)[0] for w in ("collectivités", "collections", "collecte")}) == 3
    assert FR.terms("communication")[0] != FR.terms("commune")[0]
    assert FR.terms("la DONNÉE") == FR.terms("la donnee")  # overrides apply to folded words
    # Function words that Snowball turns into nouns are stopwords: "parce que" is not a "parc".
    assert FR.terms("parce que notamment via environ") == []
    assert FR.terms("le parc, la note, la vie, l'environnement") == ["parc", "not", "vi", "environ"]
