"""Files → documents: find the corpus files, read them safely, describe each source.

A folder may hold a `sources.json` manifest (a list of {id, file, title, url, language,
date}); a file without an entry gets its title from the document and its language detected. A
`translations.json` beside them is the folder's translation memory (`assistant.translations`), not a document.
Files that cannot be used are returned as `Skipped` with the reason, never raised.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.language import detect_language
from assistant.schema import Source
from assistant.translations import FILE_NAME as TRANSLATIONS
from ingest.html_text import html_to_text

MANIFEST_NAME = "sources.json"
SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


@dataclass(frozen=True)
class Document:
    """A readable source: `text` is what citations quote and offsets point into."""

    source: Source
    text: str
    # Markdown and HTML mark their headings with '#'; plain text and PDF do not.
    marked_headings: bool
    sha256: str
    in_manifest: bool = False


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


class _Unusable(Exception):
    """Why one file cannot be ingested (becomes a `Skipped`)."""


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Every candidate file under `paths`, sorted; missing paths and unsupported files are skipped."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
        else:
            skipped.append(Skipped(path, "no such file or folder"))
            continue
        for file in candidates:
            if file.name in (MANIFEST_NAME, TRANSLATIONS):  # they describe the folder's documents
                continue
            if file.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(file.resolve())
            else:
                supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
                skipped.append(Skipped(file, f"unsupported file type (supported: {supported})"))
    return sorted(set(files)), skipped


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


def load_documents(files: Iterable[Path], max_bytes: int) -> Iterator[Document | Skipped]:
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for file in files:
        folder = file.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
        try:
            yield load_document(file, manifests[folder].get(file.name, {}), max_bytes)
        except _Unusable as reason:
            yield Skipped(file, str(reason))


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Manifest entries of `folder` by file name; a broken manifest is ignored (files still load)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return {str(e["file"]): {k: str(v) for k, v in e.items()} for e in entries}
    except (ValueError, KeyError, TypeError):
        return {}


def load_document(file: Path, entry: dict[str, str], max_bytes: int) -> Document:
    data = file.read_bytes()
    if not data.strip():
        raise _Unusable("empty file")
    if len(data) > max_bytes:
        raise _Unusable(f"larger than {max_bytes // 2**20} MB (raise ASSISTANT_INGEST__MAX_FILE_MB)")
    kind = SUPPORTED_SUFFIXES[file.suffix.lower()]
    found_title = ""
    if kind == "pdf":
        found_title, text = _pdf_text(data)
    else:
        text = _decode(data)
        if kind == "html":
            found_title, text = html_to_text(text)
    if not re.search(r"\w{2,}", text):
        raise _Unusable("no text found" + (" (a scanned PDF needs OCR first)" if kind == "pdf" else ""))
    marked = kind in ("markdown", "html")
    source = Source(
        id=entry.get("id") or _slug(file.stem),
        title=entry.get("title") or found_title or _first_heading(text, marked) or file.stem,
        url=entry.get("url") or file.as_uri(),
        language=entry.get("language") or detect_language(text[:5000]),
        date=entry.get("date") or _modified(file),
        path=str(file),
    )
    return Document(source, text, marked, hashlib.sha256(text.encode()).hexdigest(), bool(entry))


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Unusable("binary file (contains NUL bytes), not text")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Unusable(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}): re-save the file as UTF-8"
        ) from None


def _pdf_text(data: bytes) -> tuple[str, str]:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise _Unusable("encrypted PDF: save an unprotected copy")
        title = str(reader.metadata.title or "").strip() if reader.metadata else ""
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise _Unusable(f"unreadable PDF ({error})") from None
    return title, "\n\n".join(pages)


def _first_heading(text: str, marked: bool) -> str:
    for line in text.splitlines():
        line = line.strip()
        if marked and line.startswith("#"):
            return line.lstrip("#").strip()
        if not marked and line:
            return line if len(line) <= 120 and not line.endswith(".") else ""
    return ""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "document"


def _modified(file: Path) -> str:
    return datetime.fromtimestamp(file.stat().st_mtime, UTC).date().isoformat()
