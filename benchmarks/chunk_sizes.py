"""Which chunk size ranks the evidence first? Dense retrieval only, 16 FR/EN questions.

    python -m benchmarks.chunk_sizes [--out docs/benchmarks/chunk_sizes.json]

A quick check used to pick the default chunk size before the evals' gold set exists: each
question comes with a phrase of the source text that answers it (half of them asked in the
other language), and we report where the first chunk holding that phrase ranks.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from assistant.retrieval.embedding import make_embedder
from assistant.settings import ChunkingSettings, Settings
from ingest.pipeline import prepare

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    ("How many Horizon Europe projects does Inserm coordinate?", "en coordonne 97"),
    ("Who coordinates the InterAging programme?", "Éric Gilson"),
    ("When was ClimateHealth launched?", "octobre 2025"),
    ("How much funding does a Joint Lab receive per year?", "20.000"),
    ("Which countries joined Inserm abroad in 2025?", "Japon"),
    ("What share of Inserm's international co-publications are with North American teams?", "52"),
    ("How many Prisme platforms have been deployed?", "3 plateformes"),
    ("Who are the partners of the INPP?", "Karolinska"),
    ("Quel est le principal partenaire de l'Inserm ?", "USA"),
    ("Combien d'accords LIEN ont été signés ?", "7 new agreements"),
    ("Quels sont les quatre mots clés de la politique internationale ?", "scientific excellence"),
    ("En quelle année la direction générale a-t-elle lancé la revue de sa politique de coopération ?", "2008"),
    ("Quelle part des publications étaient des copublications internationales en 2012 ?", "47.4%"),
    ("Combien de propositions l'Inserm retient-il chaque année ?", "trentaine"),
    ("Quels partenaires avec l'université de Cardiff ?", "Cardiff"),
    ("How many cooperative arrangements did Inserm units declare?", "6,300"),
]
SIZES = [(80, 150), (100, 160), (120, 200), (150, 250), (200, 300)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks" / "chunk_sizes.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))  # type: ignore[call-arg]
        embedder = make_embedder(settings.embedding, settings.data_dir)
        queries = np.array([embedder.embed_query(q) for q, _ in QUESTIONS])
        results = []
        for target, maximum in SIZES:
            settings.ingest.chunking = ChunkingSettings(target_tokens=target, max_tokens=maximum, overlap_tokens=30)
            chunks = prepare([REPO / "corpus"], settings, embedder.count_tokens).chunks
            scores = queries @ np.array(embedder.embed_documents([c.indexed_text for c in chunks])).T
            ranks = [
                1 + next(i for i, j in enumerate(np.argsort(-row)) if phrase in chunks[j].text)
                for row, (_, phrase) in zip(scores, QUESTIONS, strict=True)
            ]
            results.append(
                {
                    "target_tokens": target,
                    "max_tokens": maximum,
                    "chunks": len(chunks),
                    "hit_at_1": sum(r == 1 for r in ranks),
                    "hit_at_3": sum(r <= 3 for r in ranks),
                    "mrr": round(float(np.mean([1 / r for r in ranks])), 3),
                    "questions": len(ranks),
                }
            )
            print(results[-1])
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
