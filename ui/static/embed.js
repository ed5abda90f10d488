// Embeds the assistant in any page: this <script> plus one <div data-inserm-assistant></div>.
// The widget runs in an iframe served by the assistant itself, so the page's styles and scripts
// cannot reach it (and the reverse). Optional attributes on the div: data-height, data-title.
(function () {
  var script = document.currentScript;
  var base = script.src.replace(/\/embed\.js(\?.*)?$/, "");

  function mount(element) {
    if (element.getAttribute("data-mounted")) return;
    element.setAttribute("data-mounted", "true");
    var frame = document.createElement("iframe");
    frame.src = base + "/widget/";
    frame.title = element.getAttribute("data-title") || "Assistant · Inserm international";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = element.getAttribute("data-height") || "680px";
    frame.setAttribute("allow", "clipboard-write");
    element.appendChild(frame);
  }

  function mountAll() {
    document.querySelectorAll("[data-inserm-assistant]").forEach(mount);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
