"""The chat's HTML: user and model text never becomes markup; citations link only to cited sources."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from assistant.schema import Answer, Citation, Passage
from ui import render

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "visit https://evil.example/x or www.evil.example or me@evil.example",
    "<a href='https://evil.example'>x</a>",
    "$$x$$ **bold** # heading",
]


def passage(n: int, text: str, url: str = "https://pro.inserm.fr/p", language: str = "fr") -> Passage:
    return Passage(
        id=f"id{n}",
        source_id="fr",
        title="Titre <b>",
        section="Partie › Sous-partie",
        url=url,
        language=language,
        text=text,
        original=text,
        score=0.1,
        similarity=0.9,
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_escape_leaves_no_markup_and_no_link_syntax(attack: str) -> None:
    escaped = render.escape(attack)
    assert "<" not in escaped and ">" not in escaped
    # Every Markdown construct is broken by a backslash: no unescaped [, (, !, :, *, $ or #.
    assert not re.search(r"(?<!\\)[\[\]()!*$#:@]", escaped)


def test_escape_keeps_entities_intact() -> None:
    assert render.escape("R&D <x>") == "R&amp;D &lt;x&gt;"


def test_markers_link_only_to_cited_passages() -> None:
    html = render.with_markers("Inserm coordonne 97 projets [1]. Et [7] n'existe pas [2].", turn=3, cited={1, 2})
    assert '<a class="cite" href="#src-3-1">[1]</a>' in html
    assert '<a class="cite" href="#src-3-2">[2]</a>' in html
    assert "src-3-7" not in html and r"\[7\]" in html


def test_answer_message_escapes_text_and_warnings() -> None:
    answer = Answer(
        "q",
        "en",
        '<img src=x onerror="alert(1)"> 97 [1].',
        False,
        "local",
        citations=[Citation(1, passage(1, "97 projets."))],
        warnings=["<b>careful</b>"],
    )
    html = render.answer_message(answer, turn=1)
    assert "<img" not in html and "<b>" not in html
    assert 'href="#src-1-1"' in html


def test_source_card_refuses_script_urls_and_escapes_passage() -> None:
    turn = render.TurnSources(
        1,
        "<q>",
        "x [1].",
        [Citation(1, passage(1, "<script>x</script>", url="javascript:x"))],
        abstained=False,
        language="fr",
    )
    html = render.sources_panel([turn])
    assert "javascript:" not in html and "<script>" not in html and "&lt;script&gt;" in html
    assert "Titre &lt;b&gt;" in html and "&lt;q&gt;" in html
    assert 'id="src-1-1"' in html and ">FR<" in html


def test_source_card_links_http_urls_in_a_new_tab() -> None:
    turn = render.TurnSources(2, "q", "x [1].", [Citation(1, passage(1, "Texte."))], abstained=False, language="fr")
    link = '<a href="https://pro.inserm.fr/p" target="_blank" rel="noopener noreferrer">'
    assert link in render.sources_panel([turn])


def test_the_cited_sentence_is_highlighted_in_its_passage() -> None:
    text = (
        "L’Europe est un horizon stratégique. L’Inserm participe à 212 projets Horizon Europe et en "
        "coordonne 97 (rapport d’activité 2024). Il est le 2e récipiendaire des bourses ERC."
    )
    answer = "Inserm coordinates 97 Horizon Europe projects [1]. The ERC is mentioned elsewhere [2]."
    spans = render.supporting_spans(answer, 1, text)
    assert [text[a:b] for a, b in spans] == [
        "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024)."
    ]
    turn = render.TurnSources(1, "q", answer, [Citation(1, passage(1, text))], abstained=False, language="en")
    assert "<mark>L’Inserm participe à 212" in render.sources_panel([turn])


def test_a_translated_quote_highlights_the_sentence_it_translates() -> None:
    text = "Le bureau suit les programmes européens. Il a accompagné quarante équipes l’an dernier."
    answer = (
        "Here is what the sources say, translated where they are in French:\n- It supported forty teams last year [1]."
    )
    memory = {"Il a accompagné quarante équipes l’an dernier.": "It supported forty teams last year."}
    assert render.supporting_spans(answer, 1, text) == []  # no word in common with the original
    marked = [text[a:b] for a, b in render.supporting_spans(answer, 1, text, memory)]
    assert marked == ["Il a accompagné quarante équipes l’an dernier."]


def test_list_items_are_highlighted_one_by_one() -> None:
    text = "Les PCT :\n- InterAging, coordonné par Éric Gilson\n- ClimateHealth, coordonné par Anne Dupont"
    spans = render.supporting_spans("ClimateHealth est coordonné par Anne Dupont [1].", 1, text)
    assert [text[a:b] for a, b in spans] == ["- ClimateHealth, coordonné par Anne Dupont"]


def test_each_quoted_list_item_is_a_claim_of_its_own() -> None:
    text = (
        "Il fédère des chercheurs :\n• du Medical Research Council (MRC) de Londres,\n• du Ruijin Hospital.\n"
        "Sa coordination scientifique est assurée par Éric Gilson."
    )
    answer = (
        "Here is what the sources say:\n- du Medical Research Council (MRC) de Londres, [1]\n"
        "- Sa coordination scientifique est assurée par Éric Gilson [1]."
    )
    marked = [text[a:b] for a, b in render.supporting_spans(answer, 1, text)]
    assert marked == [
        "• du Medical Research Council (MRC) de Londres,",
        "Sa coordination scientifique est assurée par Éric Gilson.",
    ]


def test_an_abstention_highlights_nothing_and_says_see_also() -> None:
    turn = render.TurnSources(
        1, "q", "I don't know.", [Citation(1, passage(1, "Texte sur 97 projets."))], abstained=True, language="en"
    )
    html = render.sources_panel([turn])
    assert "<mark>" not in html and "See also" in html


def test_latest_question_is_open_and_earlier_ones_folded() -> None:
    turns = [render.TurnSources(n, f"question {n}", "", [], abstained=False, language="fr") for n in (1, 2)]
    html = render.sources_panel(turns)
    assert html.index("question 2") < html.index("question 1")
    assert '<details class="turn-sources" data-turn="2" open>' in html
    assert '<details class="turn-sources" data-turn="1">' in html


# WICG scroll-to-text-fragment, TextDirectiveExplicitChar: what a directive's text may hold unencoded.
SPEC_EXPLICIT = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$'()*+./:;=?@_~")


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("Sous-partie", "Sous%2Dpartie"),  # "-" marks a prefix or a suffix
        ("Londres, Paris", "Londres%2C%20Paris"),  # "," separates start, end, prefix and suffix
        ("R&D", "R%26D"),  # "&" separates directives
        ("récipiendaire", "r%C3%A9cipiendaire"),  # UTF-8 bytes, upper-case hex
        ("l’Inserm", "l%E2%80%99Inserm"),
        ("50 % #1 [x]", "50%20%25%20%231%20%5Bx%5D"),
        ("(MRC) d'Oxford: 2024!", "(MRC)%20d'Oxford:%202024!"),
    ],
)
def test_fragment_text_is_percent_encoded_per_the_spec(text: str, encoded: str) -> None:
    assert render.encode_fragment_text(text) == encoded


def test_every_character_outside_the_specs_explicit_set_is_encoded() -> None:
    every = "".join(chr(c) for c in range(32, 0x250))
    encoded = render.encode_fragment_text(every)
    assert set(re.sub(r"%[0-9A-F]{2}", "", encoded)) <= SPEC_EXPLICIT
    assert urllib.parse.unquote(encoded) == every  # nothing lost


def test_a_short_sentence_is_matched_whole_and_a_long_one_by_its_start_and_end() -> None:
    assert render.text_fragment("L’Inserm coordonne 97 projets.") == "text=L%E2%80%99Inserm%20coordonne%2097%20projets"
    long = "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024)."
    assert render.text_fragment(long) == (
        "text=L%E2%80%99Inserm%20participe%20%C3%A0%20212,97%20(rapport%20d%E2%80%99activit%C3%A9%202024"
    )
    assert render.text_fragment("• du Medical Research Council (MRC) de Londres,") == (
        "text=du%20Medical%20Research%20Council%20(MRC)%20de%20Londres"  # the bullet is the page's list marker
    )
    assert render.text_fragment(" … ") == ""


def test_the_link_keeps_the_urls_own_fragment() -> None:
    assert render.link_to_sentence("https://x.org/p", "Deux mots.") == "https://x.org/p#:~:text=Deux%20mots"
    assert render.link_to_sentence("https://x.org/p#top", "Deux mots.") == "https://x.org/p#top:~:text=Deux%20mots"


def test_a_source_cards_link_lands_on_the_cited_sentence() -> None:
    text = "L’Europe est un horizon. L’Inserm coordonne 97 projets Horizon Europe. Il a des bureaux."
    answer = "Inserm coordinates 97 Horizon Europe projects [1]."
    turn = render.TurnSources(1, "q", answer, [Citation(1, passage(1, text))], abstained=False, language="en")
    assert 'href="https://pro.inserm.fr/p#:~:text=L%E2%80%99Inserm%20coordonne%2097%20projets%20Horizon%20Europe"' in (
        render.sources_panel([turn])
    )
    # Nothing cited (an abstention): the plain page.
    see_also = render.TurnSources(1, "q", answer, [Citation(1, passage(1, text))], abstained=True, language="en")
    assert 'href="https://pro.inserm.fr/p"' in render.sources_panel([see_also])
