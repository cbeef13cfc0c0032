// The /suche/ page: reads and writes ?q=&kategorie=&von=&bis=&sort= (links and the back
// button work), searches as the reader types, announces the count through a live region.
// Content is only ever inserted with textContent: a headline "<img onerror=…>" stays text.
import { init } from "./search.js";
import { thumbnail } from "./thumbnail.js";

const form = document.getElementById("suche");
const input = document.getElementById("suche-q");
const status = document.getElementById("suche-status");
const list = document.getElementById("suche-treffer");
const more = document.getElementById("suche-mehr");
const hint = document.getElementById("suche-vorschlag");
const categories = form.elements.kategorie;
const FIELDS = ["q", "kategorie", "von", "bis", "sort"];
const PAGE = 10;
const UNREACHABLE = "Die Suche ist gerade nicht erreichbar. Bitte die Seite neu laden oder später " +
  "erneut versuchen.";
const root = form.dataset.index;
// The page preloads the manifest beside the scripts (search.html), and the first load takes
// that copy. After a deploy its shards may be gone: a failed query then loads the manifest
// again bypassing the browser's cache (a revalidation by Last-Modified, to the second, can
// miss a deploy within that second). The files it names are named for their content or
// numbering, so any cached copy of them is right.
const load = (fresh) => init(async (path) => {
  const again = fresh && path === "manifest.json";
  const response = await fetch(root + path, again ? { cache: "no-store" } : {});
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
});
let engineReady = load();
let shown = 0;
let current = 0;

function state() {
  const data = new FormData(form);
  return Object.fromEntries(FIELDS.map((k) => [k, (data.get(k) || "").toString()]));
}

function fill(params) {
  for (const k of FIELDS) if (form.elements[k]) form.elements[k].value = params.get(k) || "";
  if (!form.elements.sort.value) form.elements.sort.value = "relevanz";
}

function url(s) {
  const params = new URLSearchParams();
  for (const k of FIELDS) if (s[k] && !(k === "sort" && s[k] === "relevanz")) params.set(k, s[k]);
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

// Pieces [text, marked] (search.js marks the query's words); every piece is a text node.
function fillMarked(element, pieces) {
  for (const [text, marked] of pieces) {
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      element.append(mark);
    } else element.append(document.createTextNode(text));
  }
}

// The category filter shows how many hits each category holds ("Ausland (12)").
function showCounts(counts) {
  for (const option of categories.options) {
    const name = option.value || "alle";
    const n = option.value ? counts?.[option.value] || 0
      : counts && Object.values(counts).reduce((a, b) => a + b, 0);
    option.textContent = counts ? `${name} (${n})` : name;
  }
}

// "Meinten Sie: Kurzstreckenraketen?": a link that runs the corrected query.
function suggest(s, suggestion) {
  hint.replaceChildren();
  hint.hidden = !suggestion;
  if (!suggestion) return;
  const a = document.createElement("a");
  a.href = url({ ...s, q: suggestion });
  a.textContent = suggestion;
  a.addEventListener("click", (e) => {
    e.preventDefault();
    input.value = suggestion;
    run("push");
  });
  hint.append(document.createTextNode("Meinten Sie: "), a, document.createTextNode("?"));
}

function render(results, root) {
  for (const r of results) {
    const li = document.createElement("li");
    li.className = r.photo ? "teaser has-photo" : "teaser";
    if (r.photo) li.append(thumbnail(root, r.photo));
    const h = document.createElement("p");
    h.className = "teaser-title";
    const a = document.createElement("a");
    a.href = `${root}${r.url}`;
    fillMarked(a, r.marked);
    h.append(a);
    const meta = document.createElement("p");
    meta.className = "teaser-meta";
    const time = document.createElement("time");
    time.dateTime = r.date;
    time.textContent = new Date(`${r.date}T12:00:00`).toLocaleDateString("de-DE",
      { day: "numeric", month: "long", year: "numeric" });
    meta.append(time, document.createTextNode(` · ${r.category}`));
    const teaser = document.createElement("p");
    teaser.className = "teaser-text search-excerpt";
    fillMarked(teaser, r.excerpt);
    li.append(h, meta, teaser);
    if (r.missing.length) { // a report with only some of the words: which it lacks
      const lacks = document.createElement("p");
      lacks.className = "teaser-missing";
      lacks.textContent = `Es fehlt: ${r.missing.join(", ")}`;
      li.append(lacks);
    }
    list.append(li);
  }
}

// A deploy since this page loaded renames the shards the loaded manifest names (the site
// is rebuilt on every push), so a failed query loads the manifest again and tries once
// more; queries in flight share that one reload.
async function search(s, offset) {
  const options = { kategorie: s.kategorie || null, von: s.von || null, bis: s.bis || null,
    sort: s.sort || "relevanz", offset, limit: PAGE };
  const ready = engineReady;
  try {
    const engine = await ready;
    return [engine, await engine.search(s.q, options), false];
  } catch {
    if (engineReady === ready) engineReady = load(true);
    const engine = await engineReady;
    return [engine, await engine.search(s.q, options), true];
  }
}

async function run(push, append = false) {
  const s = state();
  if (push === "push") history.pushState(null, "", url(s));
  else if (push === "replace") history.replaceState(null, "", url(s));
  const mine = ++current;
  if (!append) { list.replaceChildren(); shown = 0; }
  if (!s.q.trim()) {
    status.textContent = ""; more.hidden = true; suggest(s, null); showCounts(null); return;
  }
  let engine, page, reloaded;
  try {
    [engine, page, reloaded] = await search(s, shown);
  } catch {
    if (mine === current) status.textContent = UNREACHABLE; // offline, or the host is down
    return;
  }
  if (mine !== current) return; // a newer keystroke won
  if (reloaded && append) { run(null); return; } // "more" of another index: start over
  render(page.results, form.dataset.root || "/");
  list.dataset.q = s.q; // what the list shows (tests wait for it)
  suggest(s, page.suggestion);
  showCounts(page.counts);
  shown += page.results.length;
  more.hidden = shown >= page.total;
  if (!page.total) {
    status.textContent = page.words.length ? `Keine Treffer für „${s.q}“. Tipp: weniger oder `
      + "kürzere Wörter versuchen, Filter lockern oder einen Wortteil eingeben (etwa „Rakete“)."
      : `„${s.q}“ enthält nur sehr häufige Wörter (wie „der“ oder „und“) oder nur `
      + "ausgeschlossene. Bitte einen Suchbegriff eingeben.";
  } else {
    const some = page.total - page.complete;
    status.textContent = (!some ? `${page.total} Treffer`
      : page.complete ? `${page.complete} Treffer, dazu ${some} mit einem Teil der Wörter`
        : `Keine Meldung enthält alle Wörter; ${some} Treffer mit einem Teil davon`)
      + (shown < page.total ? `, ${shown} angezeigt` : "");
  }
}

let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run("replace"), 150);
});
form.addEventListener("change", (e) => { if (e.target !== input) run("push"); });
form.addEventListener("submit", (e) => { e.preventDefault(); run("push"); });
more.querySelector("button").addEventListener("click", () => run(null, true));
window.addEventListener("popstate", () => { fill(new URLSearchParams(location.search)); run(null); });
form.dataset.root = root.replace(/search\/$/, "");
fill(new URLSearchParams(location.search));
run(null);
