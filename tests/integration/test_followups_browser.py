"""After an answer, in Debian's headless Chromium against the real `python -m ui` (extractive responder):
source links that land on the cited sentence, suggested follow-ups, "Searched for", copy and export,
and the operator page. Screenshots go to test-artifacts/ (the operator page's is the one in docs/ui.md).
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from assistant.answering.prompts import NOT_IN_SOURCES
from assistant.settings import Settings
from tests.helpers import CORPUS, UIServer
from tests.integration.conftest import ARTIFACTS, QuietHandler, running_ui
from tests.integration.test_widget_browser import final_answer

pytestmark = [pytest.mark.integration, pytest.mark.browser]

INTERAGING = "Who coordinates the InterAging programme?"
SOURCE_URL = "https://pro.inserm.fr/?p=60483507"  # the French page's URL in corpus/sources.json


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local copy of the French source page (its text as paragraphs and list items), served on loopback."""
    folder = tmp_path_factory.mktemp("source-page")
    blocks = []
    for line in (CORPUS / "inserm-international-fr.txt").read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("•"):  # the page draws its bullets: they are not text there
            blocks.append(f"<ul><li>{html.escape(text.lstrip('• '))}</li></ul>")
        elif text:
            blocks.append(f"<p>{html.escape(text)}</p>")
    page_html = '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Inserm</title><body>'
    (folder / "page.html").write_text(page_html + "".join(blocks) + "</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/page.html"
    server.shutdown()


def chat(page: Page, url: str) -> None:
    page.goto(url + "/")
    page.locator("#question textarea").wait_for(timeout=60_000)


def ask(page: Page, question: str, answers_before: int) -> str:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    return final_answer(page, answers_before)  # type: ignore[arg-type]  # a Page finds elements as a frame does


def suggestions(page: Page) -> list[str]:
    """The suggested questions once they are shown (they come a moment after the answer)."""
    page.locator("#suggestions button.suggestion").first.wait_for(timeout=60_000)
    return [b.inner_text().strip() for b in page.locator("#suggestions button.suggestion").all() if b.is_visible()]


def test_a_source_cards_link_lands_on_the_cited_sentence(page: Page, ui_server: UIServer, source_copy: str) -> None:
    chat(page, ui_server.url)
    ask(page, "Quand le PCT InterAging a-t-il été lancé ?", 0)
    card = page.locator("#sources .source-card").filter(has=page.locator("mark")).first
    cited = " ".join(card.locator("mark").first.inner_text().split())  # the sentence highlighted in the card
    link = card.locator("header a")
    href = str(link.get_attribute("href"))
    assert href.startswith(SOURCE_URL + "#:~:text=")
    # The same link, on the local copy of the page: clicked by the user, it opens in a new tab.
    local = source_copy + href.removeprefix(SOURCE_URL)
    link.evaluate("(a, url) => { a.href = url; }", local)
    with page.context.expect_page() as opened:
        link.click()
    source = opened.value
    source.wait_for_load_state()
    # Chromium scrolls a matched text fragment into view (and highlights it); otherwise the page stays at
    # the top. The sentence is far down the page, so the scroll and where the sentence ends up (inside
    # the viewport) tell that the fragment matched it: no script API exposes the highlight itself.
    source.wait_for_function("() => window.scrollY > 0", timeout=10_000)
    target = source.locator("p, li").filter(has_text=" ".join(cited.split()[1:5])).first
    box, height = target.bounding_box(), source.viewport_size["height"]  # type: ignore[index]
    assert box is not None and 0 <= box["y"] < height
    source.screenshot(path=ARTIFACTS / "text-fragment-landing.png")
    # Control: a fragment that matches nothing leaves the page at the top.
    missing = source.context.new_page()
    missing.goto(source_copy + "#:~:text=Cette%20phrase%20n%E2%80%99existe%20pas")
    time.sleep(1)
    assert missing.evaluate("() => window.scrollY") == 0
    missing.close()


def test_suggested_follow_ups_are_asked_and_answered_from_the_sources(page: Page, ui_server: UIServer) -> None:
    chat(page, ui_server.url)
    ask(page, INTERAGING, 0)
    shown = suggestions(page)
    assert 2 <= len(shown) <= 3 and all(q.endswith("?") for q in shown)
    assert "You could also ask" in page.locator("#suggestions").inner_text()  # the asker's language
    page.locator("#suggestions button.suggestion").first.click()
    answer = final_answer(page, 1)  # type: ignore[arg-type]
    assert shown[0] in page.locator("#chat .user").last.inner_text()
    assert NOT_IN_SOURCES["en"] not in answer and NOT_IN_SOURCES["fr"] not in answer
    assert page.locator("#chat .bot").nth(1).locator("a.cite").count() >= 1


def test_a_rewritten_follow_up_shows_what_was_searched_folded(page: Page, ui_server: UIServer) -> None:
    chat(page, ui_server.url)
    ask(page, INTERAGING, 0)
    ask(page, "Et quand a-t-il été lancé ?", 1)
    searched = page.locator("#chat .bot").nth(1).locator("details.searched-for")
    assert searched.count() == 1 and searched.get_attribute("open") is None  # folded
    assert "Recherche effectuée" in searched.locator("summary").inner_text()
    searched.locator("summary").click()
    assert "InterAging" in searched.inner_text()
    assert page.locator("#chat .bot").nth(0).locator("details.searched-for").count() == 0


def test_an_answer_copies_and_the_conversation_downloads_as_markdown(page: Page, ui_server: UIServer) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    chat(page, ui_server.url)
    ask(page, INTERAGING, 0)
    ask(page, "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?", 1)
    # The sources panel is redrawn for the second answer a moment after its text: copy once it holds it.
    page.wait_for_function(
        "() => (document.querySelector('#sources details[open] button[data-action=copy]')"
        "?.dataset.markdown ?? '').includes('97')"
    )
    page.locator("#sources details[open] button[data-action=copy]").click()
    page.wait_for_function(
        "() => document.querySelector('#sources details[open] .md-action').textContent.includes('✓')"
    )
    copied = str(page.evaluate("() => navigator.clipboard.readText()"))
    assert "97" in copied and "[1]" in copied and "Sources :" in copied
    assert re.search(r"^- \[1\] \[.+\]\(https://pro\.inserm\.fr/\?p=60483507#:~:text=[^)\s]+\) \(FR\)$", copied, re.M)
    with page.expect_download() as download:
        page.locator("#sources button[data-action=download]").click()
    assert download.value.suggested_filename == "conversation.md"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Conversation avec l’assistant Inserm international")
    assert f"## {INTERAGING}" in text and "## Combien de projets Horizon Europe" in text and copied in text


@pytest.fixture(scope="module")
def operator_ui(indexed: Settings, ui_server: UIServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m ui` behind a proxy that names its users, with "operator" in ASSISTANT_UI__ADMIN_USERS,
    and feedback on real answers of the shared server: two thumbs down and one up."""
    from ui.feedback import FeedbackStore

    folder = tmp_path_factory.mktemp("operator-ui")
    store = FeedbackStore(folder / "feedback.sqlite3")
    for question, rating, comment in [
        ("Combien de projets Horizon Europe l’Inserm coordonne-t-il ?", "up", ""),
        ("Which joint laboratories does Inserm have abroad?", "down", "It should list the Joint Labs by country."),
        ("Who coordinates the InterAging programme?", "down", "<b>Le MRC</b> n'est pas le coordinateur."),
    ]:
        answer = httpx.post(ui_server.url + "/api/ask", json={"question": question}, timeout=60).json()
        store.set_comment(store.record([question], answer, rating), comment)
    with running_ui(
        indexed,
        folder,
        env={
            "ASSISTANT_UI__FEEDBACK_DB": str(store.path),
            "ASSISTANT_UI__TRUSTED_USER_HEADER": "X-Forwarded-User",
            "ASSISTANT_UI__ADMIN_USERS": json.dumps(["operator"]),
        },
    ) as url:
        yield url


def test_the_operator_page(browser: Browser, operator_ui: str) -> None:
    assert httpx.get(operator_ui + "/admin", headers={"X-Forwarded-User": "visitor"}).status_code == 403
    context = browser.new_context(
        viewport={"width": 1100, "height": 900}, extra_http_headers={"X-Forwarded-User": "operator"}
    )
    admin = context.new_page()
    admin.goto(operator_ui + "/admin")
    entries = admin.locator("article.entry")
    assert entries.count() == 3
    assert [e.get_attribute("class") for e in entries.all()] == ["entry down", "entry down", "entry up"]
    assert "InterAging" in entries.first.inner_text()  # the newest thumbs down first
    assert "<b>Le MRC</b> n'est pas le coordinateur." in entries.first.locator(".comment").inner_text()
    assert entries.first.locator(".citations li").count() >= 1
    status = admin.locator("#index-status").inner_text()
    assert re.search(r"inserm-g\d{6}", status) and "inserm-international-fr" in status
    ARTIFACTS.mkdir(exist_ok=True)
    admin.screenshot(path=ARTIFACTS / "operator-page.png", full_page=True)

    admin.select_option("select[name=rating]", "up")
    admin.locator("form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"rating=up"))
    assert admin.locator("article.entry").count() == 1
    with admin.expect_download() as download:
        admin.locator("#export").click()
    cases = [json.loads(line) for line in Path(download.value.path()).read_text(encoding="utf-8").splitlines()]
    assert [c["feedback"]["rating"] for c in cases] == ["up"] and cases[0]["turns"] == [
        "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"
    ]
    context.close()
