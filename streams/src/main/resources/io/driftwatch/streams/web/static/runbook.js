// The runbook (docs/runbook.md, shipped in the jar), one section per alert, each with its own anchor so
// that alerts link to their entry. Its text is shown as written (markdown reads as text), never as markup.
"use strict";

/** A heading's anchor as GitHub makes it, which the Prometheus rules' runbook_url use too. */
function slug(title) {
  return title.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}

async function load() {
  const response = await fetch("/runbook.md", { cache: "no-store" });
  if (!response.ok) throw new Error("HTTP " + response.status);
  const text = await response.text();
  const article = document.getElementById("runbook");
  const entries = document.getElementById("entries");
  let body = null;
  for (const line of text.split("\n")) {
    const heading = /^(#{1,2}) (.+)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const title = heading[2].trim();
      const section = dw.h("section", level === 2 ? { id: slug(title), className: "entry" } : {},
        dw.h(level === 1 ? "h1" : "h2", { text: title }));
      body = dw.h("div", { className: "entry-text" });
      section.appendChild(body);
      article.appendChild(section);
      if (level === 2) entries.appendChild(dw.h("a", { href: "/runbook#" + slug(title), text: title }));
    } else if (body) {
      body.appendChild(document.createTextNode(line + "\n"));
    }
  }
  // The anchor exists only now: go to it.
  if (location.hash) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      target.classList.add("target");
      target.scrollIntoView();
    }
  }
  document.body.dataset.entries = String(entries.children.length);
}

load().catch(e => dw.problem("Cannot load the runbook: " + e.message));
