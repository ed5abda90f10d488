"""SYNTHETIC scaled corpus: the real corpus's sections recombined, with names, places and figures changed.

    python -m benchmarks.scaled_corpus [--sizes 1000 10000 50000] [--seed 7] [--out data/scaled-corpus]

Writes one folder per size (`<out>/<size>/`): Markdown documents, a `sources.json` manifest and a
hidden `.synthetic.json` that describes the run (ignored by ingest, like every hidden file). Every
document is SYNTHETIC and says so in its title and its URL (`https://synthetic.invalid/...`).

How a document is made: a language (French and English in turn), a theme and 3 to 10 of that
language's real chunks (as `python -m ingest` cuts `corpus/`), kept in their original order under
their real headings. Country, city, person, programme and institute names, unit codes, years
and figures are replaced consistently within the document from fixed lists (French countries keep
their article: "au Japon", "en Inde", "aux Pays-Bas"), and no real person's name is reused;
top-level headings name the theme, and a chunk with room gets one more sentence or list item from
a template, so that passages seldom repeat (24 of 50,000 do, and ingest stores them once).
A size counts the real chunks used, about the number of chunks ingest makes of it (49,593 for 50k).

Deterministic: document `i` depends only on the seed and `i`, so a smaller size is the start
of a larger one (the last document may be cut short), and the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.schema import SECTION_SEPARATOR, Chunk
from assistant.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
LABEL = "SYNTHETIC"
DEFAULT_SIZES = (1000, 10000, 50000)
SIDECAR = ".synthetic.json"
# Real chunks of at most this many tokens get one more sentence or list item (a chunk has up to 250).
ROOM_FOR_A_SENTENCE = 190

# French country names by the article they take: "au Japon", "en Inde", "aux Pays-Bas", "à Taïwan".
COUNTRIES: dict[str, list[tuple[str, str]]] = {  # class → (French, English)
    "m": [
        ("Canada", "Canada"),
        ("Japon", "Japan"),
        ("Brésil", "Brazil"),
        ("Royaume-Uni", "United Kingdom"),
        ("Bangladesh", "Bangladesh"),
        ("Québec", "Quebec"),
        ("Mexique", "Mexico"),
        ("Chili", "Chile"),
        ("Pérou", "Peru"),
        ("Sénégal", "Senegal"),
        ("Maroc", "Morocco"),
        ("Vietnam", "Vietnam"),
        ("Cambodge", "Cambodia"),
        ("Liban", "Lebanon"),
        ("Danemark", "Denmark"),
        ("Portugal", "Portugal"),
        ("Kenya", "Kenya"),
        ("Cameroun", "Cameroon"),
        ("Bénin", "Benin"),
        ("Laos", "Laos"),
        ("Ghana", "Ghana"),
        ("Burkina Faso", "Burkina Faso"),
        ("Népal", "Nepal"),
        ("Luxembourg", "Luxembourg"),
    ],
    "f": [
        ("Suisse", "Switzerland"),
        ("Australie", "Australia"),
        ("Allemagne", "Germany"),
        ("Argentine", "Argentina"),
        ("Autriche", "Austria"),
        ("Inde", "India"),
        ("Guinée", "Guinea"),
        ("Chine", "China"),
        ("Corée du Sud", "South Korea"),
        ("Colombie", "Colombia"),
        ("Tunisie", "Tunisia"),
        ("Norvège", "Norway"),
        ("Suède", "Sweden"),
        ("Finlande", "Finland"),
        ("Belgique", "Belgium"),
        ("Italie", "Italy"),
        ("Espagne", "Spain"),
        ("Grèce", "Greece"),
        ("Pologne", "Poland"),
        ("Irlande", "Ireland"),
        ("Afrique du Sud", "South Africa"),
        ("Éthiopie", "Ethiopia"),
        ("Thaïlande", "Thailand"),
        ("Indonésie", "Indonesia"),
        ("Nouvelle-Zélande", "New Zealand"),
        ("Côte‑d’Ivoire", "Côte d’Ivoire"),
        ("République démocratique du Congo", "Democratic Republic of the Congo"),
        ("Russie", "Russia"),
        ("Estonie", "Estonia"),
        ("Croatie", "Croatia"),
    ],
    "pl": [
        ("États-Unis", "United States"),
        ("Pays-Bas", "Netherlands"),
        ("Émirats arabes unis", "United Arab Emirates"),
        ("Philippines", "Philippines"),
    ],
    "bare": [
        ("Singapour", "Singapore"),
        ("Taïwan", "Taiwan"),
        ("Israël", "Israel"),
        ("Madagascar", "Madagascar"),
        ("Chypre", "Cyprus"),
        ("Cuba", "Cuba"),
        ("Malte", "Malta"),
        ("Hong Kong", "Hong Kong"),
    ],
}
PREPOSITION = {"m": "au", "f": "en", "pl": "aux", "bare": "à"}
FOREIGN_CITIES = [  # (French, English)
    ("Bruxelles", "Brussels"),
    ("Washington", "Washington"),
    ("Londres", "London"),
    ("Shanghai", "Shanghai"),
    ("Cologne", "Cologne"),
    ("Stockholm", "Stockholm"),
    ("Montréal", "Montreal"),
    ("Oslo", "Oslo"),
    ("Cardiff", "Cardiff"),
    ("Munich", "Munich"),
    ("Dhaka", "Dhaka"),
    ("Heidelberg", "Heidelberg"),
    ("Leyde", "Leiden"),
    ("Berlin", "Berlin"),
    ("Genève", "Geneva"),
    ("Rome", "Rome"),
    ("Lisbonne", "Lisbon"),
    ("Vienne", "Vienna"),
    ("Prague", "Prague"),
    ("Varsovie", "Warsaw"),
    ("Copenhague", "Copenhagen"),
    ("Helsinki", "Helsinki"),
    ("Dublin", "Dublin"),
    ("Édimbourg", "Edinburgh"),
    ("Boston", "Boston"),
    ("Chicago", "Chicago"),
    ("Toronto", "Toronto"),
    ("Vancouver", "Vancouver"),
    ("Tokyo", "Tokyo"),
    ("Kyoto", "Kyoto"),
    ("Séoul", "Seoul"),
    ("Pékin", "Beijing"),
    ("Bangalore", "Bangalore"),
    ("Sydney", "Sydney"),
    ("Melbourne", "Melbourne"),
    ("Kampala", "Kampala"),
    ("Dakar", "Dakar"),
    ("Abidjan", "Abidjan"),
    ("Nairobi", "Nairobi"),
    ("Santiago", "Santiago"),
    ("Lima", "Lima"),
    ("Bogota", "Bogotá"),
    ("São Paulo", "São Paulo"),
    ("Hambourg", "Hamburg"),
    ("Bâle", "Basel"),
    ("Zurich", "Zurich"),
    ("Milan", "Milan"),
    ("Barcelone", "Barcelona"),
    ("Athènes", "Athens"),
    ("Tunis", "Tunis"),
    ("Rabat", "Rabat"),
    ("Hanoï", "Hanoi"),
    ("Bangkok", "Bangkok"),
    ("Ottawa", "Ottawa"),
]
FRENCH_CITIES = [
    "Paris",
    "Lyon",
    "Marseille",
    "Villejuif",
    "Strasbourg",
    "Saint-Étienne",
    "Bordeaux",
    "Toulouse",
    "Lille",
    "Nantes",
    "Rennes",
    "Montpellier",
    "Nice",
    "Grenoble",
    "Dijon",
    "Tours",
    "Angers",
    "Brest",
    "Caen",
    "Rouen",
    "Reims",
    "Nancy",
    "Besançon",
    "Clermont-Ferrand",
    "Limoges",
    "Poitiers",
    "Amiens",
]
# No real person's name: the corpus's own (Éric Gilson, Marion Leboyer…) are replaced, never reused.
FIRST_NAMES = [
    "Claire",
    "Sophie",
    "Julien",
    "Nadia",
    "Karim",
    "Hélène",
    "Thomas",
    "Aïcha",
    "Lucas",
    "Camille",
    "Yann",
    "Inès",
    "Mathieu",
    "Élodie",
    "Hugo",
    "Fatou",
    "Léa",
    "Antoine",
    "Mei",
    "Kenji",
    "Ana",
    "Sean",
    "Ingrid",
    "Omar",
    "Priya",
    "Jonas",
]
SURNAMES = [
    "Moreau",
    "Lefèvre",
    "Girard",
    "Fontaine",
    "Morel",
    "Mercier",
    "Dubois",
    "Laurent",
    "Bertrand",
    "Okafor",
    "Tanaka",
    "Nakamura",
    "Kowalski",
    "Novak",
    "Haddad",
    "Mensah",
    "Ferreira",
    "Costa",
    "Ivanova",
    "Schmidt",
    "Rossi",
    "García",
    "Singh",
    "Chen",
    "Nguyen",
    "Lindqvist",
    "Diallo",
    "Benali",
    "Carvalho",
    "O’Brien",
    "Petersen",
    "Kimura",
    "Traoré",
    "Roussel",
]
PROGRAMME_PARTS = (
    [
        "Inter",
        "Neuro",
        "Onco",
        "Immuno",
        "Cardio",
        "Geno",
        "Eco",
        "Global",
        "Trans",
        "Bio",
        "Clim",
        "Micro",
        "Nutri",
        "Vita",
        "Omni",
        "Rare",
    ],
    [
        "Aging",
        "Health",
        "Psy",
        "Net",
        "Cure",
        "Link",
        "Care",
        "Gen",
        "Path",
        "Brain",
        "Med",
        "Vax",
        "Omics",
        "Lab",
        "Screen",
        "Data",
    ],
)
THEMES = [  # (French, after "en": "recherche en …"; English)
    ("santé mentale", "mental health"),
    ("cancérologie", "oncology"),
    ("maladies infectieuses", "infectious diseases"),
    ("neurosciences", "neuroscience"),
    ("santé environnementale", "environmental health"),
    ("génétique humaine", "human genetics"),
    ("immunologie", "immunology"),
    ("cardiologie", "cardiology"),
    ("santé publique", "public health"),
    ("nutrition", "nutrition"),
    ("maladies rares", "rare diseases"),
    ("imagerie médicale", "medical imaging"),
    ("bio-informatique", "bioinformatics"),
    ("vieillissement", "ageing"),
    ("santé des femmes", "women’s health"),
    ("pédiatrie", "paediatrics"),
]
PEOPLE = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
# English country names that take "the".
WITH_THE = {
    "United States",
    "Netherlands",
    "United Kingdom",
    "Philippines",
    "United Arab Emirates",
    "Democratic Republic of the Congo",
}
# The names in the real chunks that are varied, by kind (French countries are found from COUNTRIES).
NAMES = {
    "foreign_city": ["Washington, DC", *sorted({name for pair in FOREIGN_CITIES for name in pair})],
    "french_city": FRENCH_CITIES,
    "person": ["Éric Gilson", "Marion Leboyer", "Pierre-Michel Llorca", "Rémy Slama"],
    "programme": ["InterAging", "ClimateHealth", "Agemed", "ProPsy", "INPP", "ATIP-Avenir"],
    "founder": ["Karolinska", "Helmholtz", "Ruijin", "Harvard", "Laval", "Sainte-Justine", "Pittsburgh", "BRAC"],
    "country_en": ["the USA", *sorted({en for pairs in COUNTRIES.values() for _, en in pairs}), "Korea"],
}
PROGRAMMES = [a + b for a in PROGRAMME_PARTS[0] for b in PROGRAMME_PARTS[1] if a + b not in NAMES["programme"]]
# Figures; the years in programme names ("Horizon 2020", "France 2030") are names.
NUMBER = re.compile(
    r"(?<!Horizon )(?<!France )(?:\bU\d{3,4}\b|\b\d{1,2}\.\d{1,2}\.(?:19|20)\d\d\b"
    r"|\b\d{1,3}(?:[.,]\d{3})+\b|\b\d+[.,]\d+\b|\b\d+\b)"
)
TEMPLATES = {
    "fr": [
        "En {year}, {n} équipes de {french_city} et de {foreign_city} ont rejoint ce dispositif, avec un budget "
        "de {k} 000 € par an.",
        "{person}, qui anime une équipe de recherche en {theme} à {french_city}, en assure le suivi depuis {year}.",
        "Depuis {year}, {n} doctorantes et doctorants ont été accueillis {in_country} dans ce cadre.",
        "Le bilan {year} fait état de {n} copublications en {theme} avec des équipes installées {in_country}.",
        "Depuis {year}, un séminaire conjoint en {theme} réunit chaque année à {foreign_city} près de {n} chercheuses "
        "et chercheurs.",
        "Le programme {programme} y associe {n} laboratoires de {french_city} depuis {year}.",
    ],
    "en": [
        "In {year}, {n} teams from {french_city} and {foreign_city} joined the scheme, with a budget of "
        "€{k},000 a year.",
        "{person}, who leads a research team in {theme} in {french_city}, has overseen it since {year}.",
        "Since {year}, {n} doctoral students have been hosted in {country} under this scheme.",
        "The {year} review counts {n} joint publications in {theme} with teams based in {country}.",
        "Since {year}, a joint seminar in {theme} has brought together about {n} researchers in {foreign_city} "
        "every year.",
        "The {programme} programme has involved {n} laboratories in {french_city} since {year}.",
    ],
}
ITEMS = {
    "fr": [
        "le suivi, depuis {year}, de {n} projets en {theme} menés {in_country},",
        "l’accueil de {n} doctorantes et doctorants de {foreign_city} depuis {year},",
    ],
    "en": [
        "follow-up, since {year}, of {n} projects in {theme} carried out in {country};",
        "hosting {n} doctoral students from {foreign_city} since {year};",
    ],
}
TITLES = {
    "fr": "{label} — L’Inserm et ses partenaires {in_country} : la recherche en {theme}",
    "en": "{label} — Inserm and its partners in {country}: research in {theme}",
}
THEME_HEADING = {"fr": "{heading} : {theme}", "en": "{heading}: {theme}"}


@dataclass(frozen=True)
class Section:
    headings: tuple[str, ...]
    parts: tuple[str, ...]  # one varied real chunk each (with its added sentence, if any)
    bases: tuple[int, ...]  # the real chunks they were made from (indexes into `real_material()`)


@dataclass(frozen=True)
class SyntheticDocument:
    id: str
    language: str
    title: str
    date: str
    sections: tuple[Section, ...]

    def markdown(self) -> str:
        lines = [f"# {self.title}", ""]
        previous: tuple[str, ...] = ()
        for section in self.sections:
            for level, heading in enumerate(section.headings):
                if previous[: level + 1] != section.headings[: level + 1]:
                    lines += [f"{'#' * (level + 2)} {heading}", ""]
            lines += ["\n\n".join(section.parts), ""]
            previous = section.headings
        return "\n".join(lines)


def real_material(settings: Settings) -> tuple[list[Chunk], list[int]]:
    """The chunks `python -m ingest` makes of the shipped corpus, and their sizes in tokens."""
    from assistant.retrieval.embedding import make_embedder
    from ingest.pipeline import prepare

    count = make_embedder(settings.embedding, settings.data_dir).count_tokens
    chunks = prepare([REPO / "corpus"], settings, count).chunks
    return chunks, [count(c.text) for c in chunks]


class _Variation:
    """One document's replacements, consistent: a name or figure seen twice is replaced the same way twice."""

    def __init__(self, rng: random.Random, language: str) -> None:
        self.rng = rng
        self.english = language == "en"
        self.language = language
        self.theme = rng.choice(THEMES)[self.english]
        self.country_class = rng.choice(sorted(COUNTRIES))
        self.country = rng.choice(COUNTRIES[self.country_class])
        self.chosen: dict[str, str] = {}

    def _once(self, key: str, make: Callable[[], str]) -> str:
        if key not in self.chosen:
            taken = set(self.chosen.values())
            for _ in range(20):  # two names of a document stay two names
                self.chosen[key] = make()
                if self.chosen[key] not in taken:
                    break
        return self.chosen[key]

    def name(self, original: str, kind: str) -> str:
        choice = self.rng.choice
        match kind:
            case "foreign_city":  # "Washington, DC" is "Washington"
                return self._once(original.removesuffix(", DC"), lambda: choice(FOREIGN_CITIES)[self.english])
            case "french_city":
                return self._once(original, lambda: choice(FRENCH_CITIES))
            case "person":
                return self._once(original, lambda: choice(PEOPLE))
            case "programme":
                return self._once(original, lambda: choice(PROGRAMMES))
            case "founder":
                return self._once(original, lambda: choice(SURNAMES))
            case "country_en":
                country = self._once(original, lambda: choice(choice(list(COUNTRIES.values())))[1])
                return f"the {country}" if original.startswith("the ") and country in WITH_THE else country
        return self._once(original, lambda: choice(COUNTRIES[kind])[0])  # a French country taking the same article

    def figure(self, original: str) -> str:
        randint = self.rng.randint
        if original.startswith("U"):
            return self._once(original, lambda: f"U{randint(700, 1400)}")
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", original):
            return self._once(original, lambda: f"{randint(1, 28):02d}.{randint(1, 12):02d}.{randint(2015, 2025)}")
        if re.fullmatch(r"(19|20)\d\d", original):
            return self._once(original, lambda: str(randint(2005, 2025)))
        if re.fullmatch(r"\d", original):
            return original  # small counts ("5 ans", "4 key words") stay as they are
        if separated := re.fullmatch(r"(\d{1,3})([.,])(\d{3})", original):
            return self._once(original, lambda: f"{randint(2, 40)}{separated.group(2)}{randint(0, 9)}00")
        if decimal := re.fullmatch(r"\d+([.,])\d+", original):
            return self._once(original, lambda: f"{randint(10, 60)}{decimal.group(1)}{randint(0, 9)}")
        value = int(original)
        high = 95 if value <= 100 else value * 2
        return self._once(original, lambda: str(randint(max(10, value // 2), high)))

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            label=LABEL,
            year=rng.randint(2008, 2025),
            n=rng.randint(3, 60),
            k=rng.randint(10, 90),
            theme=self.theme,
            french_city=rng.choice(FRENCH_CITIES),
            foreign_city=rng.choice(FOREIGN_CITIES)[self.english],
            person=rng.choice(PEOPLE),
            programme=rng.choice(PROGRAMMES),
            in_country=f"{PREPOSITION[self.country_class]} {self.country[0]}",
            country=self.country[1],
        )

    def vary(self, text: str) -> str:
        pattern, kinds = _PATTERNS[self.language]
        text = pattern.sub(lambda m: self.name(m.group(1), kinds[m.group(1)]), text)
        text = NUMBER.sub(lambda m: self.figure(m.group(0)), text)
        if self.english:
            return text
        # A new name may need the other form of the article: "l’Suisse" → "la Suisse", "de Oslo" → "d’Oslo".
        text = re.sub(
            r"\b([ld])’(?=[^\W\d_aeiouyéèêhAEIOUYÉÈÊH])", lambda m: {"l": "la ", "d": "de "}[m.group(1)], text
        )
        return re.sub(r"\b(la|le|de) (?=[AEIOUYÉÈÊ])", lambda m: {"de": "d’"}.get(m.group(1), "l’"), text)


def _name_pattern(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    kinds = {name: kind for kind, names in NAMES.items() for name in names}
    if language == "fr":
        kinds |= {fr: kind for kind, pairs in COUNTRIES.items() for fr, _ in pairs}
        kinds.pop("Québec")  # a city and a province in the French text: left as it is
    names = sorted(kinds, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)"), kinds


_PATTERNS = {language: _name_pattern(language) for language in ("fr", "en")}


def document(number: int, seed: int, bases: Sequence[Chunk], tokens: Sequence[int]) -> SyntheticDocument:
    """Synthetic document `number` (French when even, English when odd), from `seed` and `number` alone."""
    rng = random.Random(f"{seed}:{number}")
    language = ("fr", "en")[number % 2]
    variation = _Variation(rng, language)
    own = [i for i, chunk in enumerate(bases) if chunk.source.language == language]
    sections: list[Section] = []
    for index in sorted(rng.sample(own, min(len(own), rng.randint(3, 10)))):
        headings = tuple(variation.vary(h) for h in bases[index].section)
        if headings:
            headings = (THEME_HEADING[language].format(heading=headings[0], theme=variation.theme), *headings[1:])
        part = variation.vary(bases[index].original)
        if tokens[index] <= ROOM_FOR_A_SENTENCE:
            part = _with_addition(part, variation)
        if sections and sections[-1].headings == headings:  # two chunks of one real section: one section again
            last = sections.pop()
            sections.append(Section(headings, (*last.parts, part), (*last.bases, index)))
        else:
            sections.append(Section(headings, (part,), (index,)))
    return SyntheticDocument(
        f"synthetic-{language}-{number:06d}",
        language,
        variation.fill(TITLES[language]),
        f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        tuple(sections),
    )


def _with_addition(part: str, variation: _Variation) -> str:
    """One more sentence, where the passage that ingest cuts there will hold it: a list keeps its introducing
    sentence with it, so a part with a list gets one more item; otherwise the first paragraph gets the sentence."""
    language, choice = variation.language, variation.rng.choice
    if bullet := re.search(r"^([ \t]*)•[ \t]*", part, re.MULTILINE):
        item = variation.fill(choice(ITEMS[language]))
        return f"{part[: bullet.start()]}{bullet.group(0)}{item}\n{part[bullet.start() :]}"
    first, *rest = part.split("\n\n")
    return "\n\n".join([f"{first} {variation.fill(choice(TEMPLATES[language]))}", *rest])


def documents(size: int, seed: int, bases: Sequence[Chunk], tokens: Sequence[int]) -> Iterator[SyntheticDocument]:
    """Documents made of `size` real chunks in all; the last one is cut to fit."""
    used, number = 0, 0
    while used < size:
        doc = document(number, seed, bases, tokens)
        kept = []
        for section in doc.sections:
            room = size - used
            if room <= 0:
                break
            kept.append(Section(section.headings, section.parts[:room], section.bases[:room]))
            used += len(kept[-1].bases)
        yield SyntheticDocument(doc.id, doc.language, doc.title, doc.date, tuple(kept))
        number += 1


def write_corpus(out: Path, size: int, seed: int, bases: Sequence[Chunk], tokens: Sequence[int]) -> dict[str, Any]:
    """Writes one size's folder; returns its description (also written as `.synthetic.json`)."""
    out.mkdir(parents=True, exist_ok=True)
    manifest: list[dict[str, str]] = []
    provenance: dict[str, dict[str, list[int]]] = {}
    used = {"fr": 0, "en": 0}
    for doc in documents(size, seed, bases, tokens):
        (out / f"{doc.id}.md").write_text(doc.markdown(), encoding="utf-8")
        manifest.append(
            {
                "id": doc.id,
                "file": f"{doc.id}.md",
                "title": doc.title,
                "language": doc.language,
                "url": f"https://synthetic.invalid/{doc.language}/{doc.id}",
                "date": doc.date,
                "note": f"{LABEL}: made by python -m benchmarks.scaled_corpus (seed {seed}) from corpus/",
            }
        )
        provenance[doc.id] = {SECTION_SEPARATOR.join(s.headings): list(s.bases) for s in doc.sections}
        used[doc.language] += sum(len(s.bases) for s in doc.sections)
    (out / "sources.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    described = {
        "label": f"{LABEL} corpus: the real chunks of corpus/ recombined, with names, places and figures changed",
        "generator": "python -m benchmarks.scaled_corpus",
        "seed": seed,
        "size": size,
        "documents": len(manifest),
        "real_chunks_used": used,
        "bases": [{"id": c.id, "language": c.source.language, "section": c.section_path} for c in bases],
        "provenance": provenance,  # document id → section path → indexes in "bases" of the chunks it comes from
    }
    (out / SIDECAR).write_text(json.dumps(described, ensure_ascii=False) + "\n", encoding="utf-8")
    return described


def generate(sizes: Sequence[int], seed: int, out: Path, settings: Settings) -> dict[int, dict[str, Any]]:
    """One corpus per size in `out/<size>/`; `settings` say how ingest chunks and where the model is."""
    bases, tokens = real_material(settings)
    return {size: write_corpus(out / str(size), size, seed, bases, tokens) for size in sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="real chunks per corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "scaled-corpus", help="(git ignores data/)")
    args = parser.parse_args()
    for size, described in generate(args.sizes, args.seed, args.out, load_settings()).items():
        used = described["real_chunks_used"]
        print(
            f"{LABEL} corpus {args.out / str(size)}: {described['documents']} documents from {used['fr']} French "
            f"and {used['en']} English real chunks (seed {args.seed})"
        )


if __name__ == "__main__":
    main()
