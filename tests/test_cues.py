"""Expected answer types: markers in passages, the types questions ask for."""

from bot.analysis import Analyzer, fold
from bot.cues import (
    AGENT,
    AUDIENCE,
    DURATION,
    MONEY,
    NUMBER,
    PAGE,
    PERCENT,
    PLACE,
    TIME,
    YEAR,
    asked,
    counted,
    counted_asked,
    defined,
    definition_asked,
    heading_markers,
    labelled,
    markers,
    type_words,
)


def raw(question: str) -> list[str]:
    return fold(question).replace("'", " ").replace("?", " ").replace(", ", " ").split()


def test_passages_are_marked_with_what_they_state() -> None:
    assert markers("L'INR a été créé en 2018.") == [YEAR, NUMBER]
    assert markers("Entre 25 000 € et 250 000 €") == [NUMBER, MONEY]
    assert MONEY in markers("un budget de 3 millions d'euros, soit 12 euros par agent")
    assert MONEY not in markers("3 modules et 12 monuments")
    for text in ("54 Md€ seront investis", "6,5 M€", "250 k€", "3 Mds €"):  # abbreviated amounts
        assert MONEY in markers(text), text
    assert MONEY in markers("1 800 milliards d’euros annuels") and MONEY not in markers("12 millions de visiteurs")
    assert markers("plusieurs centaines d'utilisateurs au bout d'un mois") == [NUMBER]  # a rough number
    assert TIME in markers("de 9h30 à 18h30") and TIME in markers("à 14:00")
    assert TIME not in markers("un MOOC de 30 minutes") and TIME not in markers("le 12/03/2024")
    assert set(markers("Durées : 30 minutes ou 4 heures")) == {NUMBER, DURATION}
    assert DURATION in markers("de 9h30 à 18h30")
    assert markers("Aucun chiffre ici.") == []
    # a duration in words answers "how long" too, without being a number
    for text in ("Pendant trois heures, les participants", "un atelier de deux jours", "vingt-cinq minutes",
                 "durée : une demi-journée", "une heure de cours", "quelques mois", "half a day"):
        assert markers(text) == [DURATION], text
    assert markers("Un jour, les musées…") == [] and markers("une semaine du numérique") == []
    assert markers("deux modules et plusieurs ateliers") == []
    assert PERCENT in markers("Il représente 3,8% des émissions")
    for text in ("une définition (p. 14)", "(pp. 13 à 56)", "à partir de la slide 22", "la page 4"):
        assert PAGE in markers(text), text
    assert PAGE not in markers("8 200 abonnés à la page LinkedIn") and PAGE not in markers("app.2")
    assert YEAR not in markers("3,2018 kg ou 12018 visiteurs")


def test_questions_ask_for_a_type() -> None:
    assert asked(raw("En quelle année l'INR a-t-il été créé ?")) == [YEAR]
    assert asked(raw("When was the institute founded?")) == [YEAR]
    assert asked(raw("Combien d'argent les achats publics représentent-ils ?")) == [MONEY]
    assert MONEY not in asked(raw("Pourquoi les musées doivent-ils chercher de l'argent ailleurs ?"))
    assert asked(raw("Quel jour s'est tenue la journée professionnelle ?")) == [YEAR]  # a dated passage
    assert asked(raw("On what day is the webinar?")) == [YEAR]
    assert asked(raw("Combien de monuments ont participé ?")) == [NUMBER]
    assert asked(raw("How many criteria does the RGESN have?")) == [NUMBER]
    assert asked(raw("Combien de temps dure le module ?")) == [DURATION]
    # "de" stands between the words of a pair: "combien de temps" asks a duration without "dure"
    assert asked(raw("Depuis combien de temps est-elle directrice ?")) == [DURATION]
    assert asked(raw("Combien de temps faut-il pour suivre le MOOC ?")) == [DURATION]
    assert asked(raw("How long does module 1 take?")) == [DURATION]
    assert asked(raw("la génération Z, en dessous de quel âge ?")) == [DURATION]  # "moins de 25 ans"
    assert asked(raw("What age are the visitors?")) == [DURATION]
    assert asked(raw("What share of emissions does digital account for?")) == [PERCENT]
    assert asked(raw("Quelle part des émissions ?")) == [PERCENT]
    assert asked(raw("Quel montant de financement peut-on obtenir ?")) == [MONEY]
    assert asked(raw("Combien coûte un ordinateur ?")) == [MONEY]
    assert asked(raw("How much does the training cost?")) == [MONEY]
    assert asked(raw("À partir de quelle page le rapport définit-il la numérisation ?")) == [PAGE]
    assert asked(raw("From which page does the barometer cover digital uses?")) == [PAGE]
    assert asked(raw("Quelles pages couvrent la théorie ?")) == [PAGE]
    assert asked(raw("Quelle page web pèse le plus ?")) == []  # a page of a site, not a page number
    assert asked(raw("À quelle heure commence la journée ?")) == [TIME]
    assert asked(raw("numérique ou digital")) == []
    assert asked(raw("a long-term strategy")) == []


def test_who_asks_for_whoever_did_it_and_passages_say_by_whom() -> None:
    assert AGENT in markers("Atelier animé par **Gaëlle Mangeon**, 2h")
    assert AGENT in markers("Modération par [Isaac Pante]") and AGENT in markers("mise à jour par l’Arcep")
    assert AGENT in markers("a toolkit developed by Ars Electronica")
    assert AGENT not in markers("par exemple, par mail. Par ailleurs, 3 modules")
    # credits without "par": "Role : Name", or the role on its own line above the name
    for text in ("Animation : Thierry Lochon", "Communication\nElena Mata\nRestauration et logistique\nCécile Demaurex",
                 "Audiovisuel et streaming\nAlexandre Pinault, chef de projet"):
        assert AGENT in markers(text), text
    for text in ("Date : Mardi 12 mars", "Objectifs\nSensibiliser les agents", "Le musée a ouvert.\nIl a fermé en mai",
                 "Lieu : Noisy-Le-Grand"):
        assert AGENT not in markers(text), text
    assert asked(raw("Qui anime l'atelier du 17 mars ?")) == [AGENT]
    assert asked(raw("Who created the Index de Conception Responsable?")) == [AGENT]
    assert asked(raw("La loi REEN découle des travaux de qui ?")) == [AGENT]
    # an audience is no agent
    assert asked(raw("Who is the DINUM module aimed at?")) == [AUDIENCE]
    assert asked(raw("Who is module 2 for?")) == [AUDIENCE]
    assert asked(raw("Who is the toolkit designed for, museums or schools?")) == [AUDIENCE]
    assert asked(raw("Who designed and wrote the practical guide?")) == [AGENT]  # designed it
    assert asked(raw("Qui peut suivre le MOOC ?")) == [AUDIENCE]
    assert asked(raw("À qui s'adresse la formation ?")) == [AUDIENCE]
    assert asked(raw("Le logiciel qui gère les collections")) == []  # a relative pronoun
    # a reference's author, as reading notes cite it, and questions that ask for an author
    assert AGENT in markers("### [Bourliataux-Lajoinie, S. (2022). Quand la technologie…](https://…)")
    assert AGENT in markers("Deakin, T (2022). The growing value") and AGENT in markers("ICART (2022). Penser")
    assert AGENT not in markers("publié en 2022 (voir plus bas)")
    assert asked(raw("auteur Penser Demain institutions culturelles")) == [AGENT]
    assert asked(raw("Who is the author of the CodeCarbon tool?")) == [AGENT]
    assert asked(raw("europeana droit d'auteur collections en ligne")) == []  # copyright


def test_where_asks_for_a_place_and_event_pages_say_where() -> None:
    for text in ("Lieu : Noisy-Le-Grand", "📍 182 rue Saint-Honoré — Paris", "au 20 avenue de Ségur 75007 Paris",
                 "Le forum se tiendra à Nantes", "Le forum a eu lieu les 12 et 13 octobre 2022 à l'Aula",
                 "The conference was held in Lyon", "des données hébergées dans l’Union européenne",
                 "le siège est situé à Lausanne", "la localisation de nos données sur le territoire européen"):
        assert PLACE in markers(text), text
    for text in ("La formation a lieu le 19 mars.", "20 minutes de route", "Une place de choix", "a lieu en mars",
                 "une démarche basée sur la sobriété", "des données hébergées par un prestataire"):
        assert PLACE not in markers(text), text
    assert asked(raw("Where was the Phone Impact workshop held?")) == [PLACE]
    assert asked(raw("Où se tient l'atelier fresque ?")) == [PLACE]
    assert asked(raw("l'atelier, il se passe à quelle adresse ?")) == [PLACE]
    assert asked(raw("lieu lancement ICR secteur public")) == [PLACE]
    assert asked(raw("le forum, c'est où ?")) == [PLACE]
    assert asked(raw("Quand et où s'est tenu le forum ?")) == [YEAR, PLACE]
    # a link, "or", "instead of", an e-mail address, a venue named where a date is asked
    assert asked(raw("Où trouver la liste des initiatives ?")) == []
    assert asked(raw("Where can I read the newsletters?")) == []
    assert asked(raw("Où est publiée la lettre d'information ?")) == []  # a site, not a venue
    assert asked(raw("Where is the report available?")) == []
    assert asked(raw("en ligne ou en présentiel")) == []
    assert asked(raw("prêter au lieu de céder un PC")) == []
    assert asked(raw("quelle adresse mail pour contacter la mission ?")) == []
    assert asked(raw("À qui s'adresse la formation ?")) == [AUDIENCE]
    assert asked(raw("Quand doit ouvrir le lieu d'exposition ?")) == [YEAR]
    assert asked(raw("In which city was the conference held?")) == [PLACE]
    # the verb of taking place may come last
    assert asked(raw("Where did the Fresque du numérique workshop take place?")) == [PLACE]
    assert asked(raw("Où la journée professionnelle a-t-elle eu lieu ?")) == [PLACE]
    assert asked(raw("Que fait la ville de Paris pour le numérique ?")) == []  # the city is the subject


def test_for_whom_asks_for_an_audience_and_pages_say_whom_they_are_for() -> None:
    for text in ("L'outil s’adresse principalement aux chefs de projet", "un module destiné aux agents",
                 "le premier à destination des classes du secondaire", "- Public : agent public d'État",
                 "utilisateursCibles: Agents de l'ensemble des administrations", "a toolkit aimed at museums"):
        assert AUDIENCE in markers(text), text
    for text in ("L'adresse : 20 avenue de Ségur", "Le public a aimé l'exposition", "sa destination finale"):
        assert AUDIENCE not in markers(text), text
    for question in ("À qui s'adresse le projet inDICEs ?", "Pour quels profils d'agents l'ICR a-t-il été pensé ?",
                     "Pour quel public le CMN voulait-il une offre ?", "Who is module 2 for?",
                     "Who is the DINUM module aimed at?", "Qui peut suivre le MOOC ?",
                     "NumEcoEval c'est destiné à qui ?"):
        assert asked(raw(question)) == [AUDIENCE], question
    assert asked(raw("Qui anime l'atelier ?")) == [AGENT]


def test_a_section_heading_can_say_what_its_text_states() -> None:
    """"## Public" over "Agent public d'État…", "## Lieu" over "Noisy-le-Grand": the text answers
    for whom or where without saying so."""
    for heading in ("Public", "Public cible", "À qui s’adresse la formation ?", "Pour qui ?"):
        assert heading_markers(heading) == [AUDIENCE], heading
    assert heading_markers("Lieu") == [PLACE] and heading_markers("Où ?") == [PLACE]
    for heading in ("Contributeurs", "Conférenciers", "Intervenantes", "Organisateur", "Équipe projet"):
        assert heading_markers(heading) == [AGENT], heading  # a list of names says who
    for heading in ("Publications", "Directeur de la publication", "Programme", "Contribuer", "Organisation", ""):
        assert heading_markers(heading) == [], heading


def test_when_asks_for_a_date_only_where_it_opens_the_question() -> None:
    assert asked(raw("Quand doit ouvrir le lieu d'exposition ?")) == [YEAR]
    assert asked(raw("Depuis quand la loi existe-t-elle ?")) == [YEAR]
    assert asked(raw("Faut-il un contrat quand on offre un ordinateur ?")) == []
    assert asked(raw("c'était quand le lancement ?")) == [YEAR]  # after "to be", it asks
    assert asked(raw("The module was when?")) == [YEAR]
    assert asked(raw("What happens when I donate a computer?")) == []


def test_an_opening_when_that_sets_the_scene_asks_no_date() -> None:
    assert asked(raw("When a collector picks up our e-waste, who issues the form?")) == []
    assert asked(raw("Quand on donne un ordinateur, faut-il un contrat ?")) == []
    assert asked(raw("Quand on donne un ordinateur, qui paie le transport ?")) == []
    assert asked(raw("Quand un musée se lance, est-ce que ça change sa manière de travailler ?")) == []
    assert asked(raw("Quand est-ce que le module commence ?")) == [YEAR]
    # A second question word joined to "when" asks for the date too.
    assert asked(raw("Quand et où s'est tenu le forum ?")) == [YEAR, PLACE]
    assert asked(raw("Quand et par qui l'institut a-t-il été créé ?")) == [YEAR, AGENT]
    assert asked(raw("When does the module start?")) == [YEAR]


def test_passages_are_marked_with_the_words_they_count() -> None:
    analyzer = Analyzer()
    assert counted("Une recherche auprès de 12 monuments qui évalue les visites", analyzer) == ["#n:monu"]
    assert counted("une échelle à trois dimensions", analyzer) == ["#n:dimens"]
    # the counted word and the next one, up to a stopword; a year counts nothing
    assert counted("3 ingrédients clés et trois grands axes", analyzer) == [
        "#n:ingredient", "#n:cle", "#n:grand", "#n:axe"]
    assert counted("créé en 2018 Paris", analyzer) == []
    # "5 ans" and "combien d'années" name the same unit
    assert counted("pendant au moins 5 ans", analyzer) == counted("pendant 2 années", analyzer) == ["#n:an"]
    assert counted("le 17 mars, 80 places", analyzer) == ["#n:plac"]  # "17 mars" is a date


def test_questions_name_the_words_they_want_counted() -> None:
    def wanted(question: str) -> list[str]:
        words = raw(question)
        return [words[i] for i in counted_asked(words, Analyzer().stop)]

    assert wanted("Combien de monuments ont participé ?") == ["monuments"]
    assert wanted("pendant combien d'années ?") == ["annees"]
    assert wanted("How many modules are there?") == ["modules"]
    assert wanted("What are the three key ingredients") == ["ingredients"]  # not any "3 key" thing
    assert wanted("les quatre grands types d'actions") == ["types"]  # "3 grands enjeux" is no answer
    assert wanted("combien de grands musées") == ["musees"]
    assert wanted("how many new members") == ["members"]
    assert wanted("Combien coûte un ordinateur ?") == []
    assert wanted("Combien de temps dure le cours ?") == []  # a duration, not a count of "temps"
    assert wanted("Que permet le module 2 du MOOC ?") == []  # a number after its noun names it
    assert wanted("How long does module 2 take?") == []  # "module 2" is a name, "take" no unit
    assert wanted("NumEcoDiag 79 critères") == ["criteres"]  # a number after a name still counts
    assert wanted("keeping a computer for 3 more years") == ["years"]
    assert wanted("En 2018, qui a créé l'INR ?") == []
    assert wanted("combien de places pour la matinée du 17 mars") == ["places"]  # a date counts nothing


def test_the_word_that_names_the_asked_type_is_found() -> None:
    def naming(question: str) -> list[str]:
        words = raw(question)
        return [words[i] for i in sorted(type_words(words))]

    assert naming("En quelle année l'INR a-t-il été créé ?") == ["annee"]
    assert naming("Combien de temps dure le module ?") == ["temps"]
    assert naming("What year was it founded?") == ["year"]
    assert naming("À quelle heure commence la journée ?") == ["heure"]
    assert naming("Depuis quand la loi existe-t-elle ?") == ["depuis"]
    assert naming("What share of the impact comes from devices?") == ["share"]  # "65 à 90 %"
    assert naming("Quelle part des émissions vient des terminaux ?") == ["part"]
    assert naming("À quel âge ?") == ["age"]  # "un matériel âgé de 5 ans" is no answer
    assert naming("Une année de formation") == []
    assert naming("la part du numérique") == []
    assert naming("le temps de calcul") == []


def test_a_misspelt_combien_de_temps_still_asks_a_duration() -> None:
    assert asked(raw("combien de temp dure le module ?")) == [DURATION]
    assert [raw("combien de temp dure")[i] for i in counted_asked(raw("combien de temp dure"))] == []
    assert type_words(raw("combien de temp")) == {2}


def test_passages_are_marked_with_the_numbers_that_name_things() -> None:
    analyzer = Analyzer()
    assert labelled("Module 2 NumEco", analyzer) == ["#l:modul:2"]
    assert labelled("Sortie du module 3 ; Épisode #6 ; saison 2 ; article 19", analyzer) == [
        "#l:modul:3", "#l:episod:6", "#l:saison:2", "#l:articl:19"]
    assert labelled("3 modules, 2024, 4,4 %", analyzer) == []  # a count, a year, a share name nothing
    # in running text, only units of content: "article 19" there is a reference
    assert labelled("Module 3 - Évaluer ; article 19 ; page 14", analyzer, units_only=True) == ["#l:modul:3"]


def test_passages_are_marked_with_the_terms_they_define() -> None:
    analyzer = Analyzer()
    glossary = ("ACV : analyse du cycle de vie\nDICT : Disponibilité, intégrité, confidentialité, traçabilité\n"
                "Énergie grise : l'énergie consommée pour fabriquer un produit\n"
                "Sobriété : faire moins avec des usages choisis et utiles\n")
    assert {"#d:acv", "#d:dict", "#d:gris", "#d:sobriet"} <= set(defined(glossary, analyzer))
    assert defined("les GLAMs (Galleries, Libraries, Archives and Museums) de Suisse", analyzer) == ["#d:glam"]
    green_for_it = set(defined("réduire l'empreinte du numérique (Green for IT)", analyzer))
    assert green_for_it == {"#d:green", "#d:it", "#d:green+it"}  # each word, and the term as a whole
    assert "#d:green+it" not in defined("l'AGIT (Alliance Green IT) publie", analyzer)
    assert "#d:numeris" in defined("La définition de la numérisation selon l'AMS : une intégration", analyzer)
    # facts are not definitions: one "Lieu : …" line, a "(lien ici)", a year in brackets
    assert defined("Lieu : salle 3 du bâtiment principal\nObjectif : sensibiliser les agents publics", analyzer) == []
    assert defined("voir la vidéo de présentation (lien ici) publiée (2021)", analyzer) == []


def test_questions_that_ask_what_a_term_means() -> None:
    assert definition_asked(raw("DICT cybersécurité signification")) == {"signification"}
    assert definition_asked(raw("Que veut dire ACV ?")) == {"veut", "dire"}
    assert definition_asked(raw("What does GLAM stand for?")) == {"stand", "for"}
    assert definition_asked(raw("Quelle loi a défini l'obsolescence programmée ?")) == set()
    assert definition_asked(raw("Comment Fabien Morf définit-il le marketing ?")) == {"definit"}
    assert definition_asked(raw("Pour qui est le MOOC ?")) == set()
    # "mean" the verb after "what", not the noun
    assert definition_asked(raw("What does ICO mean in the article?")) == {"mean"}
    assert definition_asked(raw("what the term GLAM means")) == {"means"}
    for question in ("When did the director notice the constraints (security, limited means)?",
                     "What can museums do by means of crowdfunding?", "What means of payment are accepted?"):
        assert definition_asked(raw(question)) == set(), question
