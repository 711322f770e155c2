"""Expected answer types: markers in passages, the types questions ask for."""

from bot.analysis import fold
from bot.cues import DURATION, NUMBER, PERCENT, YEAR, asked, markers


def raw(question: str) -> list[str]:
    return fold(question).replace("'", " ").replace("?", " ").split()


def test_passages_are_marked_with_what_they_state() -> None:
    assert markers("L'INR a été créé en 2018.") == [YEAR, NUMBER]
    assert markers("Entre 25 000 € et 250 000 €") == [NUMBER]
    assert set(markers("Durées : 30 minutes ou 4 heures")) == {NUMBER, DURATION}
    assert DURATION in markers("de 9h30 à 18h30")
    assert markers("Aucun chiffre ici.") == []
    assert PERCENT in markers("Il représente 3,8% des émissions")
    assert YEAR not in markers("3,2018 kg ou 12018 visiteurs")


def test_questions_ask_for_a_type() -> None:
    assert asked(raw("En quelle année l'INR a-t-il été créé ?")) == [YEAR]
    assert asked(raw("When was the institute founded?")) == [YEAR]
    assert asked(raw("Combien de monuments ont participé ?")) == [NUMBER]
    assert asked(raw("How many criteria does the RGESN have?")) == [NUMBER]
    assert asked(raw("Combien de temps dure le module ?")) == [DURATION]
    assert asked(raw("How long does module 1 take?")) == [DURATION]
    assert asked(raw("What share of emissions does digital account for?")) == [PERCENT]
    assert asked(raw("Quelle part des émissions ?")) == [PERCENT]
    assert asked(raw("numérique ou digital")) == []
    assert asked(raw("a long-term strategy")) == []


def test_when_asks_for_a_date_only_where_it_opens_the_question() -> None:
    assert asked(raw("Quand doit ouvrir le lieu d'exposition ?")) == [YEAR]
    assert asked(raw("Depuis quand la loi existe-t-elle ?")) == [YEAR]
    assert asked(raw("Faut-il un contrat quand on offre un ordinateur ?")) == []
    assert asked(raw("What happens when I donate a computer?")) == []
