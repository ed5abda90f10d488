"""Answer-quality evaluation on the bilingual gold set (evals/data/gold.jsonl)."""
