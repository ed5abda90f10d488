"""Loading: manifest or document for metadata, language detection, every bad file named with a reason."""

from __future__ import annotations

from pathlib import Path

from ingest.load import Document, Skipped, find_files, load_documents
from tests.helpers import CORPUS


def load(*paths: Path) -> list[Document | Skipped]:
    files, skipped = find_files(paths)
    return [*skipped, *load_documents(files, max_bytes=2**20)]


def make_pdf(lines: list[str], title: str = "") -> bytes:
    """A minimal one-page PDF with real text operators (Helvetica, WinAnsi)."""
    text = (
        "BT /F1 12 Tf 72 720 Td 14 TL "
        + " ".join("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines)
        + " ET"
    )
    stream = text.encode("cp1252")
    info = f"<< /Title ({title}) >>" if title else "<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        info.encode("cp1252"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_shipped_corpus_takes_its_metadata_from_the_manifest() -> None:
    documents = {d.source.id: d for d in load(CORPUS) if isinstance(d, Document)}
    assert set(documents) == {"inserm-international-fr", "inserm-international-policy-en"}
    fr = documents["inserm-international-fr"].source
    assert (fr.language, fr.date, fr.url) == ("fr", "2025-10-15", "https://pro.inserm.fr/?p=60483507")
    assert fr.title == "L’Inserm, acteur majeur de la recherche biomédicale dans le monde"


def test_without_a_manifest_entry_title_comes_from_the_document_and_language_is_detected(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(
        "# Les appels Tremplin\n\nL’Institut organise chaque année des appels à projets internationaux.\n",
        encoding="utf-8",
    )
    (tmp_path / "page.html").write_text(
        "<html><head><title>Joint Labs</title></head><body><nav>Home | News</nav>"
        "<h1>Joint Labs</h1><p>A Joint Lab is a label awarded to structured cooperations.</p>"
        "<ul><li>First lab</li><li>Second lab</li></ul><footer>Top of page</footer></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "report.pdf").write_bytes(
        make_pdf(["Annual report", "Inserm takes part in many projects with its partners abroad."], title="Report 2024")
    )
    (tmp_path / "plain.txt").write_text(
        "International calls\n\nThe calls are open to every field of biomedical research.\n", encoding="utf-8"
    )
    documents = {Path(d.source.path).name: d for d in load(tmp_path) if isinstance(d, Document)}
    assert {name: (d.source.title, d.source.language) for name, d in documents.items()} == {
        "notes.md": ("Les appels Tremplin", "fr"),
        "page.html": ("Joint Labs", "en"),
        "report.pdf": ("Report 2024", "en"),
        "plain.txt": ("International calls", "en"),
    }
    html = documents["page.html"].text
    assert "# Joint Labs" in html and "- First lab\n- Second lab" in html
    assert "Home | News" not in html and "Top of page" not in html
    assert "partners abroad" in documents["report.pdf"].text
    assert documents["notes.md"].marked_headings and not documents["plain.txt"].marked_headings
    assert documents["plain.txt"].source.url.startswith("file://")


def test_bad_files_are_skipped_by_name_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Coopération médicale".encode("latin-1"))
    (tmp_path / "empty.md").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "slides.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (tmp_path / "good.txt").write_text("Title\n\nSome real content here.\n", encoding="utf-8")
    results = load(tmp_path, tmp_path / "missing-folder")
    reasons = {Path(r.path).name: r.reason for r in results if isinstance(r, Skipped)}
    assert set(reasons) == {"binary.txt", "latin1.txt", "empty.md", "slides.docx", "broken.pdf", "missing-folder"}
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"] and "byte 0xe9 at offset 4" in reasons["latin1.txt"]
    assert reasons["empty.md"] == "empty file"
    assert "unsupported file type" in reasons["slides.docx"]
    assert "PDF" in reasons["broken.pdf"]
    assert reasons["missing-folder"] == "no such file or folder"
    assert [Path(d.source.path).name for d in results if isinstance(d, Document)] == ["good.txt"]


def test_a_utf16_file_with_a_byte_order_mark_is_text(tmp_path: Path) -> None:
    (tmp_path / "windows.txt").write_bytes("Coopération internationale de l’Inserm.".encode("utf-16"))
    [document] = load(tmp_path)
    assert isinstance(document, Document) and document.text == "Coopération internationale de l’Inserm."


def test_a_file_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_text("word " * 300_000, encoding="utf-8")
    [skipped] = load(tmp_path)
    assert isinstance(skipped, Skipped) and "larger than 1 MB" in skipped.reason
