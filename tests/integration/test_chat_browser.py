"""The chat for people, in Debian's headless Chromium: their language, accessibility, small screens,
the widget's launcher and `/widget` without its slash.

axe-core comes from npm (tests/install-browser.sh puts it in tests/node/). With WRITE_DOCS=1 the
run also writes what docs/ui.md shows: the axe results and the screenshots under docs/ui/.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, FrameLocator, Page

from tests.helpers import REPO
from tests.integration.conftest import ARTIFACTS, QuietHandler, UIServer
from tests.integration.test_widget_browser import final_answer
from ui.strings import STRINGS

pytestmark = [pytest.mark.integration, pytest.mark.browser]

AXE = REPO / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DOCS = REPO / "docs" / "ui"
WRITE_DOCS = os.environ.get("WRITE_DOCS") == "1"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
QUESTIONS = {
    "fr": "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?",
    "en": "Who coordinates the InterAging programme?",
}
# Every name a visitor can see or hear on the page: text, placeholders, labels, titles.
SHOWN = """() => {
  const names = [document.title, document.body.innerText];
  for (const e of document.querySelectorAll('[aria-label],[title],[placeholder]'))
    for (const a of ['aria-label', 'title', 'placeholder']) if (e.getAttribute(a)) names.push(e.getAttribute(a));
  return names.join('\\n');
}"""


def open_chat(browser: Browser, url: str, locale: str = "fr-FR", width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    page.goto(url)
    page.locator("#question textarea").wait_for(timeout=30_000)
    page.locator("#ui-language [data-lang]").wait_for(state="attached")
    return page


def ask(page: Page | FrameLocator, question: str, index: int) -> str:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    return final_answer(page, index)  # type: ignore[arg-type]


def language_settled(page: Page, language: str) -> None:
    page.wait_for_function(
        "lang => document.documentElement.lang === lang && "
        "document.querySelector('#ui-language [data-lang]').dataset.lang === lang",
        arg=language,
    )


def save(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)
    if WRITE_DOCS:
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=DOCS / name, full_page=True)


def assert_only(shown: str, language: str) -> None:
    """Nothing of the other language's interface is shown (its own strings, and Gradio's)."""
    other = STRINGS["en" if language == "fr" else "fr"]
    foreign = [other.question_placeholder, other.new_chat, other.language_label, *other.buttons.values()]
    foreign += ["Like", "Dislike", "Copy message", "Clear", "J'aime", "Je n'aime pas", "Select example", "message:"]
    own = STRINGS[language]
    foreign = [f for f in foreign if f not in (own.new_chat, *own.buttons.values())]
    assert [f for f in foreign if f in shown.split("\n") or f"{f}\n" in shown] == []
    assert own.question_placeholder in shown and own.new_chat in shown


@pytest.mark.parametrize(
    ("path", "locale", "expected"),
    [
        ("/", "fr-FR", "fr"),
        ("/", "en-GB", "en"),
        ("/?lang=en", "fr-FR", "en"),
        ("/widget/?lang=fr", "en-US", "fr"),
        ("/widget/", "de-DE", "en"),
    ],
)
def test_the_page_speaks_one_language_the_visitors(
    browser: Browser, ui_server: UIServer, path: str, locale: str, expected: str
) -> None:
    page = open_chat(browser, ui_server.url + path, locale)
    language_settled(page, expected)
    text = STRINGS[expected]
    assert page.locator("#question textarea").get_attribute("placeholder") == text.question_placeholder
    assert page.locator("#chat button.example").first.inner_text().strip() == text.examples[0]
    ask(page, QUESTIONS[expected], 0)
    page.locator("#chat").get_by_role("button", name=text.buttons["like"], exact=True).first.wait_for()
    assert_only(page.evaluate(SHOWN), expected)
    if path == "/" and WRITE_DOCS:
        save(page, f"chat-{expected}.png")
    page.context.close()


def test_the_page_follows_the_conversation_into_the_other_language(browser: Browser, ui_server: UIServer) -> None:
    page = open_chat(browser, ui_server.url + "/", "fr-FR")
    language_settled(page, "fr")
    ask(page, QUESTIONS["en"], 0)
    language_settled(page, "en")
    page.locator("#question textarea[placeholder='Your question…']").wait_for()
    assert page.title() == STRINGS["en"].page_title
    assert_only(page.evaluate(SHOWN), "en")
    ask(page, QUESTIONS["fr"], 1)
    language_settled(page, "fr")
    assert_only(page.evaluate(SHOWN), "fr")
    page.context.close()


def test_the_snippets_data_lang_chooses_the_widgets_language(page: Page, host_pages: str) -> None:
    page.goto(f"{host_pages}/index.html")  # the example snippet: data-lang="fr"
    assert "lang=fr" in str(page.locator("iframe[title]").get_attribute("src"))
    page.goto(f"{host_pages}/english.html")  # the same with data-lang="en", in a French browser
    frame = page.frame_locator("iframe[title]")
    frame.locator(f"#question textarea[placeholder='{STRINGS['en'].question_placeholder}']").wait_for(timeout=30_000)
    frame.locator("html[lang='en']").wait_for(state="attached")
    assert page.locator("iframe[title]").get_attribute("title") == STRINGS["en"].frame_title


def test_no_serious_accessibility_violation_in_either_language_empty_or_answered(
    browser: Browser, ui_server: UIServer
) -> None:
    results: dict[str, Any] = {}
    for path in ("/", "/widget/"):
        for language in ("fr", "en"):
            page = open_chat(browser, f"{ui_server.url}{path}?lang={language}")
            language_settled(page, language)
            page.add_script_tag(path=str(AXE))
            empty = page.evaluate("tags => axe.run({runOnly: {type: 'tag', values: tags}})", WCAG_AA)
            ask(page, QUESTIONS[language], 0)
            page.locator("#chat a.cite").first.wait_for()
            # Every event done (the suggestions come after the answer): axe would read fading text.
            page.wait_for_function(IDLE)
            answered = page.evaluate("tags => axe.run({runOnly: {type: 'tag', values: tags}})", WCAG_AA)
            for state, run in (("empty", empty), ("answered", answered)):
                results[f"{path} {language} {state}"] = summary(run)
            page.context.close()
    if WRITE_DOCS:
        DOCS.mkdir(parents=True, exist_ok=True)
        meta = {"axe-core": json.loads((AXE.parent / "package.json").read_text())["version"], "tags": WCAG_AA}
        (DOCS / "axe-results.json").write_text(
            json.dumps({**meta, "pages": results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    serious = {
        page: [v for v in run["violations"] if v["impact"] in ("serious", "critical")] for page, run in results.items()
    }
    assert all(not found for found in serious.values()), json.dumps(serious, indent=1)
    assert all(run["passes"] >= 15 for run in results.values())  # axe did look at the pages


IDLE = """() => [...document.querySelectorAll('[data-testid=status-tracker]')].every(e => e.classList.contains('hide'))
    && !document.querySelector('.pending')"""


def summary(run: dict[str, Any]) -> dict[str, Any]:
    return {
        "passes": len(run["passes"]),
        "incomplete": sorted(v["id"] for v in run["incomplete"]),
        "violations": [
            {
                "id": v["id"],
                "impact": v["impact"],
                "targets": [n["target"] for n in v["nodes"]],
                "why": [(n["html"][:200], n["failureSummary"][:300]) for n in v["nodes"]],
            }
            for v in run["violations"]
        ],
    }


def test_the_final_answer_is_announced_once_not_token_by_token(browser: Browser, ui_server: UIServer) -> None:
    page = open_chat(browser, ui_server.url + "/?lang=en")
    announcer = page.locator("#announcer")
    announcer.wait_for(state="attached")
    assert announcer.get_attribute("aria-live") == "polite"
    page.evaluate("""() => {
        window.__announced = [];
        new MutationObserver(() => window.__announced.push(document.getElementById('announcer').textContent))
            .observe(document.getElementById('announcer'), {subtree: true, childList: true, characterData: true});
    }""")
    answer = ask(page, QUESTIONS["en"], 0)
    page.wait_for_timeout(500)  # any late update would be recorded too
    announced = page.evaluate("() => window.__announced")
    assert len(announced) == 1 and "Gilson" in announced[0] and "▍" not in announced[0]
    assert " ".join(announced[0].split()) in " ".join(answer.split())
    # The conversation itself is not a live region any more: it would read every token.
    assert page.locator("#chat [aria-live]:not([aria-live='off'])").count() == 0
    page.context.close()


def test_keyboard_reaches_each_citation_opens_its_card_and_comes_back(browser: Browser, ui_server: UIServer) -> None:
    page = open_chat(browser, ui_server.url + "/?lang=fr")
    ask(page, QUESTIONS["fr"], 0)
    cites = page.locator("#chat .bot a.cite")
    cites.first.wait_for()
    page.locator("#question textarea").focus()
    reached: list[str] = []
    for _ in range(40):  # backwards from the question box, through the answer's buttons and links
        page.keyboard.press("Shift+Tab")
        href = page.evaluate("() => document.activeElement.matches('a.cite') && document.activeElement.hash")
        if href:
            reached.append(str(href))
        if len(reached) == cites.count():
            break
    assert sorted(reached) == sorted(str(c.get_attribute("href")) for c in cites.all())
    target = reached[-1]
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused [n] shows its focus"
    page.keyboard.press("Enter")
    assert page.evaluate("() => '#' + document.activeElement.id") == target
    card = page.locator(target)
    assert "active" in str(card.get_attribute("class")) and card.is_visible()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.matches('a.cite') && document.activeElement.hash") == target
    page.context.close()


def test_a_375_px_screen_scrolls_only_vertically_with_sources_below_and_24_px_targets(
    browser: Browser, ui_server: UIServer
) -> None:
    page = open_chat(browser, ui_server.url + "/?lang=fr", width=375)
    ask(page, QUESTIONS["fr"], 0)
    page.locator("#sources .source-card").first.wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    chat, sources = page.locator("#chat").bounding_box(), page.locator("#sources").bounding_box()
    assert chat and sources and sources["y"] >= chat["y"] + chat["height"]
    small = page.evaluate("""() => [...document.querySelectorAll(
        '#chat button, #chat a.cite, #question textarea, #question button, #language label, #clear, #sources summary'
      )].filter(e => e.offsetParent !== null).map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24).map(([html]) => html)""")
    assert small == []
    save(page, "narrow-375.png")
    page.context.close()


@pytest.fixture(scope="module")
def host_pages(ui_server: UIServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The intranet example as it is (index.html), with a launcher, and in English; their folder's URL."""
    folder = tmp_path_factory.mktemp("launcher")
    html = (REPO / "ui" / "examples" / "intranet.html").read_text(encoding="utf-8")
    html = html.replace("http://127.0.0.1:7860", ui_server.url)
    snippet = '<div data-inserm-assistant data-lang="fr" data-height="700px"></div>'
    assert snippet in html
    (folder / "launcher.html").write_text(
        html.replace(snippet, '<div data-inserm-assistant data-mode="launcher" data-lang="en"></div>'), encoding="utf-8"
    )
    (folder / "index.html").write_text(html, encoding="utf-8")
    (folder / "english.html").write_text(html.replace('data-lang="fr"', 'data-lang="en"'), encoding="utf-8")
    # Served from the origin the assistant allows to embed it.
    port = urlparse(ui_server.host_page_origin).port or 0
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield ui_server.host_page_origin
    server.shutdown()


def test_the_launcher_opens_the_chat_as_a_panel_from_the_keyboard_and_esc_closes_it(
    page: Page, host_pages: str
) -> None:
    page.goto(f"{host_pages}/launcher.html")
    launcher = page.get_by_role("button", name=STRINGS["en"].open_assistant)
    launcher.wait_for()
    assert page.locator("iframe").count() == 0  # nothing loads before it is opened
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.className") == "ia-launcher":
            break
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name=STRINGS["en"].frame_title)
    panel.wait_for()
    assert launcher.get_attribute("aria-expanded") == "true"
    frame = page.frame_locator(".ia-panel iframe")
    box = frame.locator("#question textarea")
    box.wait_for(timeout=30_000)
    answer = ask(frame, QUESTIONS["en"], 0)
    assert "Gilson" in answer
    if WRITE_DOCS:
        save(page, "launcher.png")
    box.press("Escape")  # inside the chat, another origin: it tells the host page
    panel.wait_for(state="hidden")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.className") == "ia-launcher"
    launcher.click()
    panel.wait_for()
    page.get_by_role("button", name=STRINGS["en"].close_assistant).click()
    panel.wait_for(state="hidden")


def test_widget_without_its_slash_redirects_and_keeps_the_proxys_sub_path(page: Page, behind_proxy: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(behind_proxy + "/widget?lang=en")
    assert page.url == behind_proxy + "/widget/?lang=en"
    box = page.locator("#question textarea")
    box.fill("Who coordinates the InterAging programme?")
    box.press("Enter")
    page.locator("#chat a.cite").first.wait_for(timeout=60_000)
    assert "Gilson" in page.locator("#chat .bot").last.inner_text()
    assert all(url.startswith(behind_proxy + "/") for url in requested), requested


def test_widget_without_its_slash_redirects(ui_server: UIServer, browser: Browser) -> None:
    page = open_chat(browser, ui_server.url + "/widget")
    assert page.url == ui_server.url + "/widget/"
    page.context.close()
