// The chat page's own behaviour, on top of Gradio: the page's language, the screen-reader
// announcement of each final answer, citation markers that open their source card (and Esc that
// comes back), and Esc that closes the widget's launcher panel on the host page.
(function () {
  // The server says which language the page is in (on load, and when the conversation switches).
  function followServer() {
    const mark = document.querySelector("#ui-language [data-lang]");
    if (!mark) return;
    // Gradio sets <html lang> from the browser's language: the page's is the server's choice.
    const lang = mark.getAttribute("data-lang");
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    if (document.title !== mark.getAttribute("data-title")) document.title = mark.getAttribute("data-title");
    const log = document.querySelector("#chat [role='log']");
    if (log && log.getAttribute("aria-label") !== mark.getAttribute("data-chat-label")) {
      log.setAttribute("aria-label", mark.getAttribute("data-chat-label"));
    }
  }

  // Gradio's own names in the page's language. Its example buttons ("Select example 1: ...") and
  // messages ("bot's message: <the raw Markdown>") are named in English: their text names them. Its
  // examples sit in a list with no list items: a group.
  function fixGradio() {
    const mark = document.querySelector("#ui-language [data-names]");
    if (!mark) return;
    const names = JSON.parse(mark.getAttribute("data-names"));
    const keys = JSON.parse(mark.getAttribute("data-keys"));
    document.querySelectorAll("#chat button.icon-button, #question button.submit-button").forEach((button) => {
      const key = keys[button.getAttribute("aria-label")] || keyByPosition(button);
      if (names[key] && button.getAttribute("aria-label") !== names[key]) {
        button.setAttribute("aria-label", names[key]);
        button.setAttribute("title", names[key]);
      }
    });
    document.querySelectorAll("#chat .examples[role='list']").forEach((e) => e.setAttribute("role", "group"));
    const named = "#chat button.example[aria-label], #chat [data-testid='user'], #chat [data-testid='bot']";
    document.querySelectorAll(named).forEach((e) => e.removeAttribute("aria-label"));
  }

  // In a language Gradio names otherwise (German, ...), a button is known by its place.
  function keyByPosition(button) {
    if (button.matches(".submit-button")) return "submit";
    if (button.closest(".top-panel")) return "clear";
    const group = button.closest(".message-buttons");
    return group ? ["copy", "dislike", "like"][[...group.querySelectorAll("button")].indexOf(button)] : null;
  }

  // One polite live region, told each final answer once: the chat itself is silenced, or a
  // screen reader would read the answer token by token as it streams.
  let announcer = null;
  let announced = "";
  function announceFinalAnswer() {
    const chat = document.getElementById("chat");
    if (!chat) return;
    chat.querySelectorAll("[aria-live]:not([aria-live='off'])").forEach((e) => e.setAttribute("aria-live", "off"));
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.id = "announcer";
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      announcer.setAttribute("aria-live", "polite");
      document.body.appendChild(announcer);
    }
    const bots = chat.querySelectorAll(".bot .message-content, .bot .prose");
    const last = bots[bots.length - 1];
    if (!last) {
      announced = "";
      return;
    }
    const text = last.innerText.trim();
    if (!text || text.includes("▍") || last.querySelector(".pending, .dots") || text === announced) return;
    announced = text;
    announcer.textContent = text;
  }

  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      followServer();
      fixGradio();
      announceFinalAnswer();
    });
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-lang", "class", "aria-label", "lang"] });

  // [n] in an answer opens its source card and moves the focus there; Esc in the card comes back.
  let opener = null;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.cite");
    if (!link) return;
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    event.preventDefault();
    const group = card.closest("details");
    if (group) group.open = true;
    document.querySelectorAll(".source-card.active").forEach((c) => c.classList.remove("active"));
    card.classList.add("active");
    card.setAttribute("tabindex", "-1");
    opener = link;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const card = event.target.closest && event.target.closest(".source-card");
    if (card && opener && opener.isConnected) {
      event.preventDefault();
      opener.focus();
      return;
    }
    // In the launcher's panel (embed.js), Esc closes it: only the host page can.
    if (window.parent !== window) window.parent.postMessage({ type: "inserm-assistant:close" }, "*");
  });
})();
