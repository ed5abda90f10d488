"""The widget embedded in the demo intranet page, driven in Debian's headless Chromium.

The intranet page is served from another origin than the assistant, as on a real intranet;
every request the browser makes must stay on this machine (no CDN). A screenshot of each
test's last state is saved under test-artifacts/.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from playwright.sync_api import FrameLocator, Page

from tests.helpers import REPO, UIServer
from tests.integration.conftest import QuietHandler
from ui.strings import STRINGS

pytestmark = [pytest.mark.integration, pytest.mark.browser]


@pytest.fixture(scope="module")
def intranet_page(ui_server: UIServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """ui/examples/intranet.html, pointed at the test server, served from its own origin."""
    folder = tmp_path_factory.mktemp("intranet")
    html = (REPO / "ui" / "examples" / "intranet.html").read_text(encoding="utf-8")
    (folder / "index.html").write_text(html.replace("http://127.0.0.1:7860", ui_server.url), encoding="utf-8")
    port = urlparse(ui_server.host_page_origin).port
    server = ThreadingHTTPServer(("127.0.0.1", port or 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"{ui_server.host_page_origin}/index.html"
    server.shutdown()


def widget(page: Page, intranet_page: str) -> FrameLocator:
    page.goto(intranet_page)
    frame = page.frame_locator("iframe[title*='Assistant']")
    frame.locator("#question textarea").wait_for(timeout=30_000)
    # Record every state of the answer bubble, to see the answer stream in.
    frame.locator("#chat").evaluate("""chat => {
        window.__states = [];
        new MutationObserver(() => {
            const bots = chat.querySelectorAll('.bot');
            const last = bots[bots.length - 1];
            if (last) window.__states.push(last.innerHTML);
        }).observe(chat, {subtree: true, childList: true, characterData: true});
    }""")
    return frame


def ask(frame: FrameLocator, question: str, answers_before: int) -> str:
    box = frame.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    return final_answer(frame, answers_before)


def final_answer(frame: FrameLocator, index: int, seconds: float = 60) -> str:
    """The text of answer `index` once it is final: no pending mark (Gradio's or ours), no draft cursor."""
    bubble = frame.locator("#chat .bot").nth(index)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if bubble.count() and not bubble.locator(".pending, .dots").count():
            text = str(bubble.inner_text()).strip()
            if text and "▍" not in text:
                return text
        time.sleep(0.1)
    raise AssertionError(f"answer {index} was not final after {seconds} s")


def test_french_then_english_questions_stream_answers_with_clickable_citations(page: Page, intranet_page: str) -> None:
    frame = widget(page, intranet_page)
    answer = ask(frame, "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?", 0)
    assert "97" in answer and "[1]" in answer
    states = frame.locator("#chat").evaluate("() => window.__states")
    assert any('class="pending"' in s for s in states), "the answer bubble appears before the answer"
    assert frame.locator("#sources .source-card").count() >= 1
    assert "FR" in frame.locator("#sources .source-card .lang-badge").first.inner_text()

    answer = ask(frame, "Who coordinates the InterAging programme?", 1)
    assert "Gilson" in answer
    citation = frame.locator("#chat .bot").nth(1).locator("a.cite").first
    target = str(citation.get_attribute("href")).lstrip("#")
    citation.click()
    card = frame.locator(f"#{target}")
    assert "active" in str(card.get_attribute("class"))
    assert card.is_visible() and "Gilson" in " ".join(card.locator("mark").all_inner_texts())
    # The first question's sources are folded under the latest ones, and still reachable.
    frame.locator("#chat .bot").nth(0).locator("a.cite").first.click()
    assert frame.locator("#src-1-1").is_visible()


@pytest.mark.parametrize(
    "payload",
    [
        '<img src=x onerror="window.__xss=1;alert(1)"> combien de projets ?',
        "<script>window.__xss=2;alert(2)</script> InterAging ?",
        '[clic](javascript:alert(3)) <svg onload="alert(4)"></svg>',
    ],
)
def test_markup_in_a_question_shows_as_text_and_never_runs(page: Page, intranet_page: str, payload: str) -> None:
    frame = widget(page, intranet_page)
    ask(frame, payload, 0)
    chat = frame.locator("#chat")
    assert payload.split(">")[0] in chat.inner_text()  # the tag itself is shown
    assert chat.locator("img[src='x'], script, svg[onload]").count() == 0
    assert chat.locator("a[href^='javascript']").count() == 0
    assert frame.locator("body").evaluate("() => window.__xss") is None


def test_a_too_long_question_is_explained_and_kept(page: Page, intranet_page: str) -> None:
    frame = widget(page, intranet_page)
    question = "Combien de projets ? " * 60
    frame.locator("#question textarea").fill(question)
    frame.locator("#question textarea").press("Enter")
    frame.get_by_text(re.compile(r"the limit is 1000")).first.wait_for()
    assert frame.locator("#question textarea").input_value() == question
    assert frame.locator("#chat .bot").count() == 0


def test_example_questions_feedback_and_clearing(page: Page, intranet_page: str, ui_server: UIServer) -> None:
    from ui.feedback import FeedbackStore

    frame = widget(page, intranet_page)
    frame.locator("#chat button.example").first.click()
    final_answer(frame, 0)
    frame.locator("#chat a.cite").first.wait_for()
    before = len(FeedbackStore(ui_server.feedback_db).entries())

    # The snippet asks for French: the buttons are named in French.
    frame.get_by_role("button", name=STRINGS["fr"].buttons["dislike"], exact=True).last.click()
    frame.locator("#feedback-comment textarea").fill("Il manque le nombre de participations.")
    frame.locator("#feedback-send").click()
    frame.locator("#feedback-row").wait_for(state="hidden")
    entries = FeedbackStore(ui_server.feedback_db).entries()
    assert len(entries) == before + 1
    latest = entries[-1]
    assert (latest.rating, latest.comment) == ("down", "Il manque le nombre de participations.")
    assert latest.citations and "97" in latest.answer

    frame.locator("#clear").click()
    frame.locator("#chat .bot").first.wait_for(state="detached")
    assert frame.locator("#sources .source-card").count() == 0


def test_the_chat_works_behind_a_reverse_proxy_at_a_sub_path(page: Page, behind_proxy: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(behind_proxy + "/")
    page.locator("#question textarea").wait_for(timeout=30_000)
    box = page.locator("#question textarea")
    box.fill("Who coordinates the InterAging programme?")
    box.press("Enter")
    page.locator("#chat a.cite").first.wait_for(timeout=60_000)
    assert "Gilson" in page.locator("#chat .bot").last.inner_text()
    assert page.locator("#sources .source-card mark").count() >= 1
    assert requested and all(url.startswith(behind_proxy + "/") for url in requested), requested
