"""Section paths: inferred on the shipped plain texts, read from Markdown headings."""

from __future__ import annotations

from assistant.settings import CleaningSettings
from ingest.clean import Cleaner, split_lines
from ingest.outline import Block, outline
from tests.helpers import CORPUS

FR_TITLE = "L’Inserm, acteur majeur de la recherche biomédicale dans le monde"


def blocks_of(name: str, title: str) -> list[Block]:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return outline(Cleaner(CleaningSettings()).clean(text), title, marked_headings=False)


def section_of(blocks: list[Block], words: str) -> tuple[str, ...]:
    return next(b.section for b in blocks if words in b.text)


def test_french_page_sections_nest_as_the_page_shows_them() -> None:
    blocks = blocks_of("inserm-international-fr.txt", FR_TITLE)
    assert section_of(blocks, "Joint Lab est un label") == (
        "Des partenariats nombreux et diversifiés",
        "Les laboratoires conjoints internationaux (Joint Labs)",
    )
    assert section_of(blocks, "Le PCT InterAging a été lancé") == (
        "Des partenariats nombreux et diversifiés",
        "Les programmes de coordination thématique (PCT)",
        "InterAging",
    )
    assert section_of(blocks, "52 % des copublications") == (
        "Une organisation au plus près de la recherche mondiale",
        "Des bureaux à Bruxelles et à Washington",
        "Washington, DC (pour les États-Unis et le Canada)",
    )
    assert section_of(blocks, "Inserm abroad regroupe") == (
        "Une organisation au plus près de la recherche mondiale",
        "Le réseau Inserm abroad",
    )
    assert section_of(blocks, "une quarantaine de conventions") == (
        "Des partenariats nombreux et diversifiés",
        "Les partenariats institutionnels",
    )


def test_the_title_and_the_text_before_any_heading_have_no_section() -> None:
    blocks = blocks_of("inserm-international-fr.txt", FR_TITLE)
    assert section_of(blocks, "Plus de la moitié des articles") == ()
    assert all(FR_TITLE not in b.section for b in blocks)


def test_english_page_sections_are_flat() -> None:
    blocks = blocks_of("inserm-international-policy-en.txt", "International Policy")
    assert section_of(blocks, "nearly 100 countries") == ("Inserm’s international links",)
    assert section_of(blocks, "7 new agreements (LIEN)") == ("International Policy and Instruments for intervention",)


def test_a_line_introducing_a_list_is_not_a_heading() -> None:
    blocks = blocks_of("inserm-international-fr.txt", FR_TITLE)
    lead = next(b for b in blocks if b.text == "Les Joints Labs au 15.10.2025")
    assert lead.kind == "paragraph"
    assert blocks[blocks.index(lead) + 1].kind == "list"


def test_list_items_keep_their_indented_continuation_lines() -> None:
    blocks = blocks_of("inserm-international-fr.txt", FR_TITLE)
    joint_labs = next(b for b in blocks if b.kind == "list" and "U1111" in b.text)
    items = joint_labs.items()
    assert len(items) == 9
    assert [line.text.strip() for line in items[0]] == [
        "• Centre international de recherche en infectiologie – U1111, Lyon-Saint- Étienne",
        "+ Deutsches Krebsforschungszentrum (DKFZ), Heidelberg, Allemagne.",
    ]


def test_markdown_headings_give_the_levels() -> None:
    text = "# Guide\n\nIntro.\n\n## Offices\n\n### Brussels\n\nText B.\n\n## Calls\n\nText C.\n"
    blocks = outline(split_lines(text), "Guide", marked_headings=True)
    assert [(b.text, b.section) for b in blocks] == [
        ("Intro.", ()),
        ("Text B.", ("Offices", "Brussels")),
        ("Text C.", ("Calls",)),
    ]
