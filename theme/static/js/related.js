// Refresh "Weitere Meldungen" from the per-topic files, so a page from years ago still shows
// the newest related reports. The static list stays when anything fails.
import { mergeRelated } from "./related-merge.js";
import { thumbnail } from "./thumbnail.js";

async function fetchEntries(root, path) {
  const response = await fetch(root + path, { credentials: "omit" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()).entries;
}

function teaser(entry, root) {
  const li = document.createElement("li");
  li.className = entry.p ? "teaser has-photo" : "teaser";
  if (entry.p) li.append(thumbnail(root, entry));
  const title = document.createElement("a");
  title.className = "teaser-title";
  title.href = root + entry.u;
  title.textContent = entry.t;
  const text = document.createElement("p");
  text.className = "teaser-text";
  text.textContent = entry.s;
  const meta = document.createElement("p");
  meta.className = "teaser-meta";
  const more = document.createElement("a");
  more.href = root + entry.u;
  more.textContent = "weiterlesen...";
  more.setAttribute("aria-label", `${entry.t} weiterlesen`);
  meta.append(`(${entry.c}, ${entry.d}) `, more);
  li.append(title, text, meta);
  return li;
}

export async function refresh(aside) {
  const root = aside.dataset.root;
  const topics = aside.dataset.topics ? aside.dataset.topics.split(" ") : [];
  const [category, ...lists] = await Promise.all(
    [aside.dataset.category, ...topics].map((path) => fetchEntries(root, path)));
  const entries = mergeRelated(lists, category, aside.dataset.headline,
                               Number(aside.dataset.count));
  const list = aside.querySelector("ul");
  list.replaceChildren(...entries.map((entry) => teaser(entry, root)));
  if (entries.length) aside.querySelector(".related-empty")?.remove();
  aside.dataset.refreshed = "true";
}

const aside = document.querySelector("aside.related[data-category]");
if (aside) refresh(aside).catch(() => { aside.dataset.refreshed = "failed"; });
