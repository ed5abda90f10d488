"""Command line: ingest the given paths (default: the configured corpus folders)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from assistant.answering.responders import ChatResponder, make_responder
from assistant.errors import AssistantError, BackendUnavailableError
from assistant.retrieval.embedding import SentenceEmbedder, make_embedder
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings, load_settings
from assistant.translations import Translator
from ingest.pipeline import IngestReport, Progress, ingest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Clean, chunk and embed .txt, .md, .html and .pdf files into the index.",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: ASSISTANT_INGEST__CORPUS_DIRS, i.e. corpus/)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        paths = args.paths or settings.ingest.corpus_dirs
        embedder = make_embedder(settings.embedding, settings.data_dir)
        store = ChunkStore.open(settings)
        with (
            _progress_reporter("embedded", "chunks and sentences") as progress,
            _progress_reporter("translated", "sentences") as told,
        ):
            report = ingest(paths, settings, embedder, store, progress, _translator(settings, embedder, told))
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary(report))
    if not report.usable:
        print(
            "error: nothing could be ingested from "
            + ", ".join(map(str, paths))
            + ". Give a folder or files in a supported format (.txt, .md, .html, .pdf), "
            "UTF-8 text.",
            file=sys.stderr,
        )
        return 1
    return 0


def _translator(settings: Settings, embedder: SentenceEmbedder, progress: Progress) -> Translator | None:
    """The chat model that translates the sentences the translation memory lacks, if there is one."""
    if not settings.ingest.translate:
        return None
    responder = make_responder(settings.llm.responder, settings.llm, embedder, settings.data_dir)
    if not isinstance(responder, ChatResponder):
        return None
    model = settings.llm.local_model if responder.name == "local" else settings.llm.openai_model

    def translate(sentence: str, language: str) -> str | None:
        try:
            return "".join(responder.translated(sentence, language))
        except BackendUnavailableError as error:
            print(
                f"warning: {error}. The sentences not yet translated stay in their language (answers quote "
                "them as written); run the ingest again once the model answers.",
                file=sys.stderr,
            )
            return None

    return Translator(f"{responder.name}:{model}", translate, progress)


@contextmanager
def _progress_reporter(done_word: str, unit: str) -> Iterator[Progress]:
    """A progress bar on a terminal; plain lines in logs (CI, services)."""
    if not sys.stderr.isatty():
        yield lambda done, total: print(f"{done_word} {done}/{total} {unit}", file=sys.stderr, flush=True)
        return
    with tqdm(total=0, unit=unit, desc=done_word, leave=False) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


def summary(report: IngestReport) -> str:
    lines = [f"skipped  {s.path}: {s.reason}" for s in report.skipped]
    lines += [
        f"{kind:<9}{path}"
        for kind, paths in (("added", report.added), ("updated", report.updated), ("removed", report.removed))
        for path in paths
    ]
    per_source = ", ".join(f"{source} {n}" for source, n in report.chunks_per_source.items())
    lines.append(
        f"files: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, {len(report.skipped)} skipped"
    )
    lines.append(
        f"chunks: {report.chunks} in the index ({per_source or 'none from these paths'}); "
        f"{report.embedded} embedded, {report.reused} reused, {report.duplicate_chunks} duplicates dropped"
    )
    lines.append(f"sentences: {report.sentences_embedded} embedded, {report.sentences_reused} reused")
    lines.append(f"done in {report.seconds:.1f} s")
    return "\n".join(lines)
