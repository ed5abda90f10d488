// Embeds the assistant in any page: this <script> plus one <div data-inserm-assistant></div>.
// The widget runs in an iframe served by the assistant itself, so the page's styles and scripts
// cannot reach it (and the reverse). Optional attributes on the div:
//   data-lang="fr|en"       the widget's language (default: the browser's preferred of the two)
//   data-mode="launcher"    a floating button that opens the chat as a panel (default: inline)
//   data-height, data-title the inline frame's height and title
(function () {
  var script = document.currentScript;
  var base = script.src.replace(/\/embed\.js(\?.*)?$/, "");
  var origin = new URL(base, location.href).origin;
  // The launcher's labels, per language: the server fills them in from ui/strings.py.
  var STRINGS = /* ui/strings.py */ null;
  var count = 0;

  function language(element) {
    var requested = element.getAttribute("data-lang");
    var preferred = [requested].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < preferred.length; i++) {
      var primary = String(preferred[i] || "").split("-")[0].toLowerCase();
      if (STRINGS[primary]) return primary;
    }
    return "en";
  }

  function frameFor(element, lang) {
    var frame = document.createElement("iframe");
    frame.src = base + "/widget/?lang=" + lang;
    frame.title = element.getAttribute("data-title") || STRINGS[lang].frame_title;
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.setAttribute("allow", "clipboard-write");
    return frame;
  }

  function mount(element) {
    if (element.getAttribute("data-mounted")) return;
    element.setAttribute("data-mounted", "true");
    var lang = language(element);
    if (element.getAttribute("data-mode") === "launcher") return launcher(element, lang);
    var frame = frameFor(element, lang);
    frame.style.height = element.getAttribute("data-height") || "680px";
    element.appendChild(frame);
  }

  var STYLE =
    ".ia-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;min-height:48px;padding:0 20px;" +
    "border:0;border-radius:24px;background:#0b3d91;color:#fff;font:600 16px/1.2 system-ui,sans-serif;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.3);cursor:pointer}" +
    ".ia-panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:min(440px,calc(100vw - 24px));" +
    "height:min(700px,calc(100vh - 104px));display:flex;flex-direction:column;background:#fff;" +
    "border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.35);overflow:hidden}" +
    ".ia-panel[hidden]{display:none}" +
    ".ia-panel header{display:flex;justify-content:space-between;align-items:center;padding:6px 8px 6px 14px;" +
    "background:#0b3d91;color:#fff;font:600 15px/1.2 system-ui,sans-serif}" +
    ".ia-close{min-width:36px;min-height:36px;border:0;border-radius:6px;background:transparent;color:#fff;" +
    "font-size:22px;cursor:pointer}" +
    ".ia-launcher:focus-visible,.ia-close:focus-visible{outline:3px solid #f5b400;outline-offset:2px}" +
    ".ia-panel iframe{flex:1;height:100%}" +
    "@media (max-width:480px){.ia-panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}}";

  function launcher(element, lang) {
    var text = STRINGS[lang];
    var id = "inserm-assistant-panel-" + ++count;
    if (!document.getElementById("ia-style")) {
      var style = document.createElement("style");
      style.id = "ia-style";
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ia-launcher";
    button.textContent = text.open_assistant;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);

    var panel = document.createElement("div");
    panel.id = id;
    panel.className = "ia-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", text.frame_title);
    var header = document.createElement("header");
    var title = document.createElement("span");
    title.textContent = text.frame_title;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "ia-close";
    close.textContent = "×";
    close.setAttribute("aria-label", text.close_assistant);
    header.appendChild(title);
    header.appendChild(close);
    panel.appendChild(header);
    var frame = null; // loaded at the first opening, not with the host page

    function open() {
      if (!frame) {
        frame = frameFor(element, lang);
        panel.appendChild(frame);
      }
      panel.hidden = false;
      button.setAttribute("aria-expanded", "true");
      frame.focus();
    }
    function shut() {
      if (panel.hidden) return;
      panel.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
    button.addEventListener("click", function () {
      if (panel.hidden) open();
      else shut();
    });
    close.addEventListener("click", shut);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") shut();
    });
    // Esc pressed inside the chat (another origin) arrives as a message from its page.
    window.addEventListener("message", function (event) {
      if (frame && event.source === frame.contentWindow && event.origin === origin &&
          event.data && event.data.type === "inserm-assistant:close") shut();
    });
    element.appendChild(button);
    element.appendChild(panel);
  }

  function mountAll() {
    document.querySelectorAll("[data-inserm-assistant]").forEach(mount);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
