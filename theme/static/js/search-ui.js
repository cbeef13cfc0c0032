// The /suche/ page: reads and writes ?q=&kategorie=&von=&bis=&sort= (links and the back
// button work), searches as the reader types, announces the count through a live region.
// Content is only ever inserted with textContent: a headline "<img onerror=…>" stays text.
import { init, lowerWords, queryWords, stem } from "./search.js";
import { thumbnail } from "./thumbnail.js";

const form = document.getElementById("suche");
const input = document.getElementById("suche-q");
const status = document.getElementById("suche-status");
const list = document.getElementById("suche-treffer");
const more = document.getElementById("suche-mehr");
const FIELDS = ["q", "kategorie", "von", "bis", "sort"];
const PAGE = 10;
const UNREACHABLE = "Die Suche ist gerade nicht erreichbar. Bitte die Seite neu laden oder später " +
  "erneut versuchen.";
const root = form.dataset.index;
// The manifest bypasses the browser's cache (a deploy replaces it under the same name, and a
// revalidation by Last-Modified, to the second, can miss a deploy within that second); the
// files it names carry content hashes, so any cached copy of them is right.
const load = () => init(async (path) => {
  const response = await fetch(root + path, path === "manifest.json" ? { cache: "no-store" } : {});
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

function highlight(element, text, stems, prefix) {
  // Split into words and gaps; a word whose stem is a query stem (or that starts with the
  // typed last word) is wrapped in <mark>. Every piece is a text node.
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const lower = piece.toLowerCase();
    const hit = /[\p{L}\p{N}]/u.test(piece)
      && (stems.includes(stem(lower)) || (prefix && lower.startsWith(prefix)));
    if (hit) {
      const mark = document.createElement("mark");
      mark.textContent = piece;
      element.append(mark);
    } else element.append(document.createTextNode(piece));
  }
}

function render(results, stems, prefix, root) {
  for (const r of results) {
    const li = document.createElement("li");
    li.className = r.photo ? "teaser has-photo" : "teaser";
    if (r.photo) li.append(thumbnail(root, r.photo));
    const h = document.createElement("p");
    h.className = "teaser-title";
    const a = document.createElement("a");
    a.href = `${root}${r.url}`;
    highlight(a, r.title, stems, prefix);
    h.append(a);
    const meta = document.createElement("p");
    meta.className = "teaser-meta";
    const time = document.createElement("time");
    time.dateTime = r.date;
    time.textContent = new Date(`${r.date}T12:00:00`).toLocaleDateString("de-DE",
      { day: "numeric", month: "long", year: "numeric" });
    meta.append(time, document.createTextNode(` · ${r.category}`));
    const teaser = document.createElement("p");
    teaser.className = "teaser-text";
    highlight(teaser, r.teaser, stems, prefix);
    li.append(h, meta, teaser);
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
    if (engineReady === ready) engineReady = load();
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
  if (!s.q.trim()) { status.textContent = ""; more.hidden = true; return; }
  let engine, page, reloaded;
  try {
    [engine, page, reloaded] = await search(s, shown);
  } catch {
    if (mine === current) status.textContent = UNREACHABLE; // offline, or the host is down
    return;
  }
  if (mine !== current) return; // a newer keystroke won
  if (reloaded && append) { run(null); return; } // "more" of another index: start over
  const stems = queryWords(s.q, engine.stop).map(([st]) => st);
  const words = lowerWords(s.q);
  const prefix = /\s$/u.test(s.q) ? "" : (words[words.length - 1] || "");
  render(page.results, stems, prefix.length >= 3 ? prefix : "", form.dataset.root || "/");
  shown += page.results.length;
  more.hidden = shown >= page.total;
  if (!page.total) {
    status.textContent = `Keine Treffer für „${s.q}“. Tipp: weniger oder kürzere Wörter `
      + "versuchen, Filter lockern oder einen Wortteil eingeben (etwa „Rakete“).";
  } else {
    status.textContent = `${page.total} ${page.total === 1 ? "Treffer" : "Treffer"}`
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
