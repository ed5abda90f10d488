"""The extractive choice of sentences: a question about who holds a role is answered with a person's name."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

import assistant.answering.responders as responders
from assistant.answering.responders import ExtractiveResponder
from assistant.schema import Passage
from tests.helpers import FakeEmbedder

TEXT = (
    "Le programme climat et santé réunit cinq partenaires. Il a été lancé en 2025. "
    "Le programme est dirigé par Rémy Slama."
)
PROGRAMME = Passage("c1", "fr-page", "Page", "Climat et santé", "https://example.org", "fr", TEXT, TEXT, 1.0, 0.9)


def chosen(question: str) -> list[str]:
    return [sentence for _, sentence in ExtractiveResponder(FakeEmbedder()).select(question, [PROGRAMME])]


def test_a_role_question_gets_the_sentence_that_names_a_person(monkeypatch: pytest.MonkeyPatch) -> None:
    question = "Qui dirige le programme climat et santé ?"
    assert "Le programme est dirigé par Rémy Slama." in chosen(question)
    monkeypatch.setattr(responders, "_named_person", lambda *args: [])
    assert not any("Slama" in s for s in chosen(question)), "closeness alone would have left the person out"


def test_other_questions_are_not_given_a_person() -> None:
    assert not any("Slama" in s for s in chosen("Quand le programme climat et santé a-t-il été lancé ?"))


OFFICE = (
    "Près de 52 % des copublications internationales de l’Inserm sont réalisées avec des équipes nord-américaines. "
    "Aussi l’Inserm s’est-il doté d’une représentation pour les États-Unis et le Canada."
)
WASHINGTON = Passage("c2", "fr-page", "Page", "Washington", "https://example.org", "fr", OFFICE, OFFICE, 1.0, 0.9)


def best_sentence(question: str, passage: Passage, continued: bool = True) -> list[str]:
    """The sentences quoted when one is chosen: it and those that come with it."""
    responder = ExtractiveResponder(FakeEmbedder(), max_sentences=1)
    return [s for _, s in responder.select(question, [passage], continued=continued)]


def test_a_why_question_gets_the_reason_before_a_consequence() -> None:
    def quoted(question: str) -> list[str]:
        return best_sentence(question, WASHINGTON)

    consequence = "Aussi l’Inserm s’est-il doté d’une représentation pour les États-Unis et le Canada."
    reason = (
        "Près de 52 % des copublications internationales de l’Inserm sont réalisées avec des équipes nord-américaines."
    )
    assert quoted("Pourquoi l'Inserm s'est-il doté d'une représentation pour les États-Unis et le Canada ?") == [
        reason,
        consequence,
    ]
    assert quoted("L'Inserm s'est-il doté d'une représentation pour les États-Unis et le Canada ?") == [consequence]


POLICY = "Les mots clés de la politique sont l’excellence et la réciprocité. La révision a été engagée en 2008."
KEY_WORDS = Passage("c3", "fr-page", "Page", "Politique", "https://example.org", "fr", POLICY, POLICY, 1.0, 0.9)


def test_a_follow_up_is_answered_by_what_it_asks_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Searched after the earlier question, a follow-up's sentence must also be close to the follow-up itself."""
    follow_up = (
        "Quels sont les mots clés de la politique de l'Inserm ? Et en quelle année la révision a-t-elle été engagée ?"
    )

    def quoted() -> list[str]:
        return [s for _, s in ExtractiveResponder(FakeEmbedder(), max_sentences=1).select(follow_up, [KEY_WORDS])]

    assert quoted() == ["La révision a été engagée en 2008."]
    monkeypatch.setattr(responders, "_last_questions", responders.asked)
    assert quoted() != ["La révision a été engagée en 2008."], "the whole query alone"


class Scripted(FakeEmbedder):
    """Every question the same vector; a sentence as close to it as the first word of `closeness` it holds says."""

    def __init__(self, closeness: dict[str, float]) -> None:
        super().__init__()
        self.closeness = closeness

    def _encode(self, texts: list[str]) -> list[list[float]]:
        cosines = [next((c for word, c in self.closeness.items() if word in text), 1.0) for text in texts]
        return [[c, math.sqrt(1 - c * c)] + [0.0] * (self.dim - 2) for c in cosines]


def test_the_best_sentences_passage_is_read_further_than_the_others() -> None:
    """A sentence 0.04 below the best is quoted from the best one's passage, not from another passage."""
    first, other = (
        Passage(id, "fr-page", "Page", "Appels", "https://example.org", "fr", text, text, 1.0, 0.9)
        for id, text in (("c4", "Alpha ici. Beta ici."), ("c5", "Gamma ici."))
    )
    embedder = Scripted({"Alpha": 0.90, "Beta": 0.86, "Gamma": 0.86})

    def quoted(passage_margin: float) -> list[str]:
        responder = ExtractiveResponder(embedder, passage_margin=passage_margin)
        return [s for _, s in responder.select("Que dit-on ?", [first, other])]

    assert quoted(0.05) == ["Alpha ici.", "Beta ici."]
    assert quoted(0.03) == ["Alpha ici."], "one margin for every passage"


CALLS = (
    "L’Institut organise les appels Tremplin international et PRI. Ce sont des appels à propositions blancs. "
    "Le bureau de Washington suit les initiatives."
)
PLATFORMS = (
    "Les plateformes Prisme associent l’Inserm et des acteurs du pays partenaire. "
    "À ce jour, 3 plateformes ont été déployées : une avec la Guinée, une autre avec le Brésil. "
    "Le bureau de Washington suit les initiatives."
)
ABROAD = (
    "À sa création en 2024, Inserm abroad se déployait aux États-Unis et au Canada. "
    "En 2025, de nouveaux représentants au Japon et en Suisse ont rejoint ce réseau. "
    "En 2021, le bureau de Washington suivait les initiatives."
)


@pytest.mark.parametrize(
    ("question", "text", "chosen", "continuation"),
    [
        # The next sentence refers back to the chosen one by its first word.
        (
            "Les appels Tremplin international et PRI portent-ils sur des thèmes imposés ?",
            CALLS,
            "L’Institut organise les appels Tremplin international et PRI.",
            "Ce sont des appels à propositions blancs.",
        ),
        # The next sentence says where what the chosen one introduced stands now.
        (
            "Avec quels pays les plateformes Prisme associent-elles l'Inserm ?",
            PLATFORMS,
            "Les plateformes Prisme associent l’Inserm et des acteurs du pays partenaire.",
            "À ce jour, 3 plateformes ont été déployées : une avec la Guinée, une autre avec le Brésil.",
        ),
        # The next sentence speaks of others of what the chosen one counts.
        (
            "How many LIEN agreements has Inserm signed?",
            "To date, 7 LIEN agreements have been signed by Inserm. Others are being discussed or revised.",
            "To date, 7 LIEN agreements have been signed by Inserm.",
            "Others are being discussed or revised.",
        ),
        # The next sentence says what changed after the year the chosen one states.
        (
            "Dans quels pays Inserm abroad se déployait-il à sa création ?",
            ABROAD,
            "À sa création en 2024, Inserm abroad se déployait aux États-Unis et au Canada.",
            "En 2025, de nouveaux représentants au Japon et en Suisse ont rejoint ce réseau.",
        ),
    ],
)
def test_a_quoted_sentence_comes_with_the_next_one_when_that_one_continues_it(
    question: str, text: str, chosen: str, continuation: str
) -> None:
    passage = Passage("c5", "fr-page", "Page", "Coopération", "https://example.org", "fr", text, text, 1.0, 0.9)
    assert best_sentence(question, passage, continued=False) == [chosen]
    assert best_sentence(question, passage) == [chosen, continuation]


def test_a_sentence_opening_on_an_earlier_year_does_not_continue_the_one_before() -> None:
    question = "Quels représentants ont rejoint Inserm abroad en 2025 ?"
    passage = Passage("c5", "fr-page", "Page", "Coopération", "https://example.org", "fr", ABROAD, ABROAD, 1.0, 0.9)
    assert best_sentence(question, passage) == [
        "En 2025, de nouveaux représentants au Japon et en Suisse ont rejoint ce réseau."
    ]


LABS = (
    "Les Joint Labs réunissent un laboratoire Inserm et un laboratoire étranger.\n"
    "  • Infectiologie – U1111, Lyon + Université Laval, Canada.\n"
    "  • Neurone et muscle – U1315, Lyon + University of Ottawa, Canada.\n"
    "  • Vision – U968, Paris + Pittsburgh University, États-Unis.\n"
    "  • Oncologie – U981, Villejuif + University College of London, Royaume-Uni.\n"
    "  • Santé – U1059, Saint-Étienne + Technische Universität Wien, Autriche.\n"
    "Le label est attribué pour cinq ans."
)
LABS_PASSAGE = Passage("c6", "fr-page", "Page", "Joint Labs", "https://example.org", "fr", LABS, LABS, 1.0, 0.9)


def test_a_list_filtered_by_a_place_gets_the_items_that_hold_it() -> None:
    """The closest sentence is the one about the label; the items in Lyon come with it, and only they."""
    responder = ExtractiveResponder(Scripted({"label": 0.9, "•": 0.5, "réunissent": 0.6}), max_sentences=1)

    def quoted(question: str) -> list[str]:
        return [s for _, s in responder.select(question, [LABS_PASSAGE])]

    in_lyon = quoted("Which Joint Labs are based in Lyon?")
    assert [s for s in in_lyon if "•" in s] == [
        "• Infectiologie – U1111, Lyon + Université Laval, Canada.",
        "• Neurone et muscle – U1315, Lyon + University of Ottawa, Canada.",
    ]
    # A question that names its item (U1059) as well as a place is not filtering a list.
    assert not any("•" in s for s in quoted("Which partner does U1059 have in Saint-Étienne?"))


PARTNERS = (
    "Le Karolinska Institute de Stockholm est partenaire de l’INPP. "
    "Le CHU Sainte-Justine de Montréal est partenaire de l’INPP."
)
PARTNERS_PASSAGE = Passage("c7", "fr-page", "Page", "INPP", "https://example.org", "fr", PARTNERS, PARTNERS, 1.0, 0.9)


def test_a_name_the_question_sets_aside_does_not_count_for_the_sentences_that_hold_it() -> None:
    """The sentence naming what the question sets aside gets no bonus for that name: a closer one wins."""
    responder = ExtractiveResponder(Scripted({"Stockholm est": 0.85, "Montréal": 0.86}), max_sentences=1)

    def quoted(question: str) -> list[str]:
        return [s for _, s in responder.select(question, [PARTNERS_PASSAGE])]

    sainte_justine = "Le CHU Sainte-Justine de Montréal est partenaire de l’INPP."
    assert quoted("Outre le Karolinska Institute de Stockholm, quel partenaire de l'INPP est hors d'Europe ?") == [
        sainte_justine
    ]
    assert quoted("Le Karolinska Institute de Stockholm est-il partenaire de l'INPP ?") != [sainte_justine]


def test_who_else_gets_the_other_items_of_the_list_that_holds_the_one_named() -> None:
    """After the lab that works on neurons, "Qui d'autre…" gets the other labs of its list, not only that one."""
    responder = ExtractiveResponder(
        Scripted({"Neurone": 0.9, "•": 0.5, "label": 0.6, "réunissent": 0.6}), max_sentences=1
    )
    question = "Quel Joint Lab travaille sur le neurone ? Qui d'autre en fait partie ?"
    items = [s for _, s in responder.select(question, [LABS_PASSAGE]) if "•" in s]
    assert len(items) == 5
    assert [s for _, s in responder.select("Quel Joint Lab travaille sur le neurone ?", [LABS_PASSAGE])] == [
        "• Neurone et muscle – U1315, Lyon + University of Ottawa, Canada."
    ]


def test_a_role_is_answered_by_the_person_the_best_sentences_passage_names_not_by_a_far_one_elsewhere() -> None:
    """Far below the best sentence, a person is quoted from its passage, about what is asked, not from another."""
    climate, ageing = (
        Passage(id, "fr-page", "Page", topic, "https://example.org", "fr", text, text, 1.0, 0.9)
        for id, topic, text in (
            ("c8", "ClimateHealth", "Il a été lancé en octobre 2025. Cinq partenaires. Sa coordination : Rémy Slama."),
            ("c9", "InterAging", "Il a été lancé en 2021. Trois partenaires. Sa coordination : Éric Gilson."),
        )
    )
    embedder = Scripted({"octobre": 0.9, "Slama": 0.72, "2021": 0.8, "Gilson": 0.72, "partenaires": 0.6})

    def quoted(first: Passage, second: Passage) -> list[str]:
        responder = ExtractiveResponder(embedder)
        return [s for _, s in responder.select("Who runs the climate and health programme?", [first, second])]

    assert "Sa coordination : Rémy Slama." in quoted(climate, ageing)
    assert not any("Gilson" in s for s in quoted(climate, ageing))


INPP = "Le PCT INPP réunit cinq partenaires en psychiatrie de précision. Le PCT INPP a débuté en 2024."
CLIMATE = "Le PCT ClimateHealth étudie le climat. Il a démarré en octobre 2025 en synergie avec un programme."
PSYCHIATRY = Passage("c3", "fr-page", "Page", "INPP", "https://example.org", "fr", INPP, INPP, 1.0, 0.9)
CLIMATE_HEALTH = Passage(
    "c4", "fr-page", "Page", "ClimateHealth", "https://example.org", "fr", CLIMATE, CLIMATE, 1.0, 0.9
)


def test_a_sentence_opening_on_a_pronoun_is_not_quoted_for_a_name_its_passage_never_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def quoted(question: str) -> list[str]:
        return [s for _, s in ExtractiveResponder(FakeEmbedder()).select(question, [PSYCHIATRY, CLIMATE_HEALTH])]

    question = "Sachant que l'INPP a démarré en synergie avec un programme, quand a-t-il démarré ?"
    assert "Le PCT INPP a débuté en 2024." in quoted(question)
    assert not any(s.startswith("Il a démarré") for s in quoted(question))
    # Asked about ClimateHealth, its own passage's pronoun sentence is quoted.
    assert any(s.startswith("Il a démarré") for s in quoted("Quand le PCT ClimateHealth a-t-il démarré ?"))
    monkeypatch.setattr(responders, "_about_another", lambda *args: set())
    assert any(s.startswith("Il a démarré") for s in quoted(question)), "closeness alone would have quoted it"


NETWORK = (
    "Le PCT ClimateHealth est dédié au climat et à la santé. Cinq partenaires sont pressentis pour ce réseau :\n"
    "  • le Barcelona Institute for Global Health,\n"
    "  • le Helmholtz Institute de Munich,\n"
    "  • l’université Harvard aux États-Unis."
)
NETWORK_PASSAGE = Passage(
    "c8", "fr-page", "Page", "ClimateHealth", "https://example.org", "fr", NETWORK, NETWORK, 1.0, 0.9
)


def test_a_list_item_that_only_restates_the_question_comes_with_the_sentence_introducing_its_list() -> None:
    responder = ExtractiveResponder(Scripted({"Helmholtz": 0.9, "•": 0.5, "PCT": 0.6, "Cinq": 0.6}), max_sentences=1)

    def quoted(question: str) -> list[str]:
        return [s for _, s in responder.select(question, [NETWORK_PASSAGE])]

    # "ce réseau" points back: the passage's first sentence names it.
    assert quoted("What's the Helmholtz Institute in Munich doing with Inserm?") == [
        "Le PCT ClimateHealth est dédié au climat et à la santé.",
        "Cinq partenaires sont pressentis pour ce réseau :",
        "• le Helmholtz Institute de Munich,",
    ]
    # An item that says more than the question asks is an answer by itself.
    assert quoted("Quel institut allemand est pressenti ?") == ["• le Helmholtz Institute de Munich,"]


def test_an_introduction_that_names_its_list_comes_alone() -> None:
    named = NETWORK.replace("pour ce réseau :", "pour le réseau ClimateHealth :")
    passage = replace(NETWORK_PASSAGE, text=named, original=named)
    responder = ExtractiveResponder(Scripted({"Helmholtz": 0.9, "•": 0.5, "PCT": 0.6, "Cinq": 0.6}), max_sentences=1)
    assert [
        s for _, s in responder.select("What's the Helmholtz Institute in Munich doing with Inserm?", [passage])
    ] == [
        "Cinq partenaires sont pressentis pour le réseau ClimateHealth :",
        "• le Helmholtz Institute de Munich,",
    ]


def test_a_question_crossing_two_passages_gets_a_sentence_naming_each(monkeypatch: pytest.MonkeyPatch) -> None:
    lien = "Des accords LIEN ont été signés avec le Japon, la Corée du Sud et Israël."
    abroad = "En 2025, de nouveaux représentants au Japon et en Suisse ont rejoint le réseau Inserm abroad."
    passages = [
        Passage("c4", "fr-page", "Page", "Accords", "https://example.org", "fr", lien, lien, 1.0, 0.9),
        Passage("c5", "fr-page", "Page", "Réseau", "https://example.org", "fr", abroad, abroad, 1.0, 0.9),
    ]
    question = "Parmi les pays des accords LIEN, lequel a aussi rejoint le réseau Inserm abroad en 2025 ?"

    def quoted() -> list[str]:
        return [s for _, s in ExtractiveResponder(FakeEmbedder(), max_sentences=1).select(question, passages)]

    assert quoted() == [lien, abroad]
    monkeypatch.setattr(responders, "_naming_all", lambda question, passages, units, chosen, order: chosen)
    assert len(quoted()) == 1, "the closest sentence alone"


AGEING = (
    "Le PCT InterAging a été lancé en 2021. Il fédère des chercheurs :\n"
    "  • du Medical Research Council de Londres,\n"
    "  • du Ruijin Hospital de Shanghai."
)
AGEING_PASSAGE = Passage("c8", "fr-page", "Page", "InterAging", "https://example.org", "fr", AGEING, AGEING, 1.0, 0.9)


def test_a_continuation_that_introduces_a_list_comes_with_the_list() -> None:
    responder = ExtractiveResponder(Scripted({"lancé": 0.9, "•": 0.5, "fédère": 0.6}), max_sentences=1)
    question = "Que sait-on du PCT InterAging ?"
    assert [s for _, s in responder.select(question, [AGEING_PASSAGE])] == [
        "Le PCT InterAging a été lancé en 2021.",
        "Il fédère des chercheurs :",
        "• du Medical Research Council de Londres,",
        "• du Ruijin Hospital de Shanghai.",
    ]
    assert [s for _, s in responder.select(question, [AGEING_PASSAGE], continued=False)] == [
        "Le PCT InterAging a été lancé en 2021."
    ]


def split_list() -> list[Passage]:
    """A list titled by a heading line, cut in two at ingest, and the passage on what the labs are."""
    parts = (
        "Les Joint Labs au 15.10.2025\n  • Infectiologie – U1111, Lyon + Université Laval, Québec, Canada.\n"
        "  • Vision – U968, Paris + Pittsburgh University, États-Unis.",
        "Les Joint Labs au 15.10.2025\n  • Neurone et muscle – U1315, Lyon + University of Ottawa, Canada.\n"
        "  • Physique – U1273, Paris + Leids Universitair Medisch Centrum, Leyde, Pays-Bas.",
    )
    label = "Joint Lab est un label. Les Joint Labs reçoivent 20.000 € par an."
    return [
        Passage(f"c{n}", "fr-page", "Page", "Joint Labs", "https://example.org", "fr", text, text, 1.0, 0.9)
        for n, text in enumerate((label, *parts))
    ]


def test_a_question_asking_which_members_of_a_list_gets_its_items_from_every_part() -> None:
    responder = ExtractiveResponder(Scripted({"label": 0.9, "€": 0.8, "•": 0.5, "15.10": 0.5}), max_sentences=1)

    def items(question: str) -> list[str]:
        return [s for _, s in responder.select(question, split_list()) if s.startswith("•")]

    assert len(items("In which countries are the foreign partners of Inserm's Joint Labs?")) == 4
    assert len(items("Parmi les Joint Labs, lesquels ont deux partenaires ?")) == 4
    # "Who are" asks for the members too, which a list of institutions answers.
    assert len(items("Who are the foreign partners of Inserm's Joint Labs?")) == 4
    assert len(items("Qui sont les partenaires étrangers des Joint Labs ?")) == 4
    # Of the items, those naming what the question names: a country by its people's name, a city.
    assert items("quelles unites inserm ont un joint lab avec un partenaire canadien") == [
        "• Infectiologie – U1111, Lyon + Université Laval, Québec, Canada.",
        "• Neurone et muscle – U1315, Lyon + University of Ottawa, Canada.",
    ]
    assert items("Which Joint Lab partner is in Leyde?") == [
        "• Physique – U1273, Paris + Leids Universitair Medisch Centrum, Leyde, Pays-Bas."
    ]
    # What the members are is no name: "pays" does not pick the item in the "Pays-Bas".
    assert len(items("Dans quels pays sont les partenaires des Joint Labs ?")) == 4
    # Not a question asking which members: a sum, a definition, which of two has more.
    assert not items("Combien reçoivent les Joint Labs par an ?")
    assert not items("Qu'est-ce qu'un Joint Lab ?")
    assert not items("Parmi les Joint Labs, lequel des deux reçoit le plus ?")


def test_a_question_naming_a_page_is_answered_from_that_page() -> None:
    english = "Inserm abroad advises the management on international programmes."
    french = "Inserm abroad conseille la direction sur les programmes internationaux."
    pages = [
        Passage("e1", "en-page", "Page", "Inserm abroad", "https://example.org", "en", english, english, 1.0, 0.9),
        Passage("f1", "fr-page", "Page", "Inserm abroad", "https://example.org", "fr", french, french, 1.0, 0.9),
    ]
    responder = ExtractiveResponder(FakeEmbedder())

    def pages_quoted(question: str) -> set[int]:
        return {n for n, _ in responder.select(question, pages)}

    assert pages_quoted("What does the French page say Inserm abroad advises on?") == {2}
    assert pages_quoted("Selon la page anglaise, sur quoi Inserm abroad conseille-t-il la direction ?") == {1}
    assert pages_quoted("What does Inserm abroad advise on?") == {1}  # the closest, when no page is named
    # nor does an earlier question's, for a follow-up searched after it
    assert 1 in pages_quoted("What does the French page say Inserm abroad is? And what does it advise on?")
    # a page named for one of two things asked does not hold for the other
    assert 1 in pages_quoted("What did the French page say it advises on, and what does Inserm abroad advise on?")


def test_a_quoted_sentence_opening_on_a_pronoun_comes_after_the_one_that_names_what_it_stands_for() -> None:
    text = (
        "Inserm abroad a vocation à devenir un lieu de rencontre pour l’échange d’idées. "
        "Il doit aussi servir de comité stratégique auprès de la direction."
    )
    passage = Passage("c6", "fr-page", "Page", "Le réseau", "https://example.org", "fr", text, text, 1.0, 0.9)
    question = "Quel réseau sert de comité stratégique auprès de la direction ?"
    assert best_sentence(question, passage, continued=False) == [
        "Il doit aussi servir de comité stratégique auprès de la direction."
    ]
    assert best_sentence(question, passage) == [
        "Inserm abroad a vocation à devenir un lieu de rencontre pour l’échange d’idées.",
        "Il doit aussi servir de comité stratégique auprès de la direction.",
    ]
