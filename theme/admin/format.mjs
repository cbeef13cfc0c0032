// The article file format of Meldungen, for the editing desk (Decap CMS's custom format):
// the same key order, quoting and dates as generator/article_file.py writes, so a report
// saved in the browser is byte for byte what `meldungen new` would have written.
// Shared test vectors (tests/vectors/article-files.json) hold both sides to it.

export const KEY_ORDER = ['title', 'date', 'category', 'tags', 'slug', 'source', 'summary',
  'modified', 'image', 'draft', 'status', 'withdrawn_note', 'corrections', 'aliases'];
const IMAGE_ORDER = ['file', 'alt', 'caption', 'credit', 'focus'];
const DATES = new Set(['date', 'modified']);

// Python's `\w` is letters, digits and the underscore, in any script.
const PLAIN = /^[\p{L}\p{N}_][\p{L}\p{N}_ .'/()+-]*$/u;

/** A YAML scalar that PyYAML reads back as exactly `value` (article_file.yaml_text). */
export function yamlText(value, plainOk = false) {
  if (plainOk && PLAIN.test(value) && !value.endsWith(' ')) return value;
  return JSON.stringify(value).replace(/[\x7f-\x84\x86-\x9f\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function flowYaml(value) {
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${yamlText(k)}: ${flowYaml(v)}`).join(', ')}}`;
  }
  return yamlText(value == null ? '' : String(value));
}

const empty = (v) => v == null || v === '' || v === false
  || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** The article file for the desk's entry data (dates as wall-clock times in `timeZone`). */
export function articleText(data, timeZone) {
  const lines = ['---'];
  const keys = [...KEY_ORDER, ...Object.keys(data).filter((k) => !KEY_ORDER.includes(k)
    && k !== 'body' && !k.startsWith('meldungen_'))];
  for (const key of keys) {
    let value = data[key];
    if (typeof value === 'string' && !['body'].includes(key)) value = value.trim();
    if (key === 'tags') value = texts(value);
    if (key === 'aliases') value = texts(value);
    if (key === 'image') value = photo(value);
    if (key === 'corrections') value = (value || []).filter((c) => c && (c.date || c.text));
    if (key === 'status' && value === 'published') value = '';
    if (key !== 'tags' && empty(value)) continue;
    if (DATES.has(key)) lines.push(`${key}: ${isoInZone(value, timeZone)}`);
    else if (['title', 'source', 'summary', 'withdrawn_note'].includes(key)) {
      lines.push(`${key}: ${yamlText(oneLine(value))}`);
    } else if (key === 'category') lines.push(`${key}: ${yamlText(value, true)}`);
    else if (key === 'tags' || key === 'aliases') {
      lines.push(`${key}: [${value.map((t) => yamlText(t, true)).join(', ')}]`);
    } else if (key === 'slug') lines.push(`slug: ${value}`);
    else if (key === 'image') {
      lines.push('image:');
      for (const k of IMAGE_ORDER) {
        if (value[k]) lines.push(`  ${k}: ${yamlText(value[k], k === 'file')}`);
      }
    } else if (key === 'draft') lines.push('draft: true');
    else if (key === 'status') lines.push(`status: ${value}`);
    else if (key === 'corrections') {
      lines.push('corrections:');
      for (const c of value) {
        lines.push(`  - date: ${isoInZone(c.date, timeZone)}`,
          `    text: ${yamlText(oneLine(c.text || ''))}`);
      }
    } else lines.push(`${key}: ${flowYaml(value)}`);
  }
  lines.push('---', String(data.body || '').replace(/\r\n?/g, '\n').replace(/^\n+|\n+$/g, ''));
  return lines.join('\n') + '\n';
}

function oneLine(text) {
  return String(text).split(/\s+/u).filter(Boolean).join(' ');
}

function texts(value) {
  const list = typeof value === 'string' ? value.split(',') : (value || []);
  const seen = [];
  for (const item of list) {
    const text = oneLine(item ?? '');
    if (text && !seen.includes(text)) seen.push(text);
  }
  return seen;
}

function photo(value) {
  if (!value || typeof value !== 'object') return {};
  const found = {};
  for (const k of IMAGE_ORDER) {
    let v = value[k] == null ? '' : oneLine(value[k]);
    if (k === 'file') v = v.replace(/^\.\//, '');
    if (v) found[k] = v;
  }
  return found.file || found.alt || found.caption || found.credit ? found : {};
}

/** Desk data from an article file (`loadYaml`: a YAML loader that keeps every scalar text,
 * such as js-yaml's `load` with FAILSAFE_SCHEMA, as our PyYAML loader does). */
export function parseArticle(text, loadYaml, timeZone) {
  const normal = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const lines = normal.split('\n');
  const end = lines[0].trimEnd() === '---'
    ? lines.findIndex((l, i) => i > 0 && ['---', '...'].includes(l.trimEnd())) : -1;
  if (end < 0) return { body: normal };
  const meta = loadYaml(lines.slice(1, end).join('\n')) || {};
  const data = {};
  for (const [key, value] of Object.entries(meta)) {
    if (DATES.has(key)) data[key] = wallClock(value, timeZone) || value;
    else if (key === 'tags' || key === 'aliases') data[key] = texts(value);
    else if (key === 'draft') data[key] = ['true', 'yes', 'ja'].includes(String(value).trim().toLowerCase());
    else if (key === 'corrections' && Array.isArray(value)) {
      data[key] = value.map((c) => ({ date: wallClock(c?.date, timeZone) || c?.date || '',
        text: c?.text ?? '' }));
    } else data[key] = value ?? '';
  }
  data.body = lines.slice(end + 1).join('\n');
  return data;
}

// --- dates: the desk shows and takes wall-clock time in the site's TIMEZONE ------------

const GERMAN = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*[-,]?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const pad = (n, w = 2) => String(n).padStart(w, '0');

function parts(instant, timeZone) {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric',
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** `2024-01-04T20:41:54+01:00`, `2024-01-04T20:41`, `04.01.2024 - 20:41` → the wall-clock
 * time in `timeZone`, `YYYY-MM-DDTHH:mm:ss` (empty if it is no date). */
export function wallClock(value, timeZone) {
  const text = String(value ?? '').trim();
  const german = GERMAN.exec(text);
  if (german) {
    const [, d, m, y, hh, mm, ss] = german;
    return `${y}-${pad(m)}-${pad(d)}T${pad(hh || 0)}:${pad(mm || 0)}:${pad(ss || 0)}`;
  }
  const iso = ISO.exec(text);
  if (!iso) return '';
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', zone] = iso;
  const local = `${y}-${mo}-${d}T${hh}:${mi}:${ss}`;
  if (!zone) return local;
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1)
    * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return parts(Date.parse(`${local}Z`) - offset * 60000, timeZone);
}

/** A wall-clock time in `timeZone` as ISO 8601 with its offset, as Python writes it after
 * `parse_date` (`isoformat()`): a time in the autumn's repeated hour is the first of the
 * two; one in the spring's skipped hour keeps its digits with the offset before the change. */
export function isoInZone(value, timeZone) {
  const local = wallClock(value, timeZone);
  if (!local) throw new Error(`not a date: ${value}`);
  const asUtc = Date.parse(`${local}Z`);
  const offsets = [...new Set([-36, -12, 0, 12, 36].map((h) => offsetAt(asUtc + h * 3600000, timeZone)))];
  const fits = offsets.map((o) => asUtc - o * 60000).filter((t) => parts(t, timeZone) === local);
  const offset = fits.length ? offsetAt(Math.min(...fits), timeZone)
    : offsetAt(asUtc - 86400000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function offsetAt(instant, timeZone) {
  const t = Math.floor(instant / 1000) * 1000;
  return Math.round((Date.parse(`${parts(t, timeZone)}Z`) - t) / 60000);
}

// --- slugs: generator/slugs.py's German-aware ASCII -------------------------------------

const GERMAN_LETTERS = [['Ä', 'Ae'], ['Ö', 'Oe'], ['Ü', 'Ue'], ['ä', 'ae'], ['ö', 'oe'],
  ['ü', 'ue'], ['ẞ', 'SS'], ['ß', 'ss']];
const MAX_LENGTH = 120;

/** "Finnische Außenministerin ruft …" → "finnische-aussenministerin-ruft" (Latin script;
 * other scripts are dropped, where python-slugify would transliterate them). */
export function slugify(text) {
  let s = String(text);
  for (const [from, to] of GERMAN_LETTERS) s = s.split(from).join(to);
  s = s.replace(/'+/g, '-').replace(/(?<=\d),(?=\d)/g, '')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (s.length <= MAX_LENGTH) return s;
  // Whole words up to MAX_LENGTH, as python-slugify's word_boundary and save_order do.
  let cut = '';
  for (const word of s.split('-')) {
    const next = cut ? `${cut}-${word}` : word;
    if (next.length > MAX_LENGTH) break;
    cut = next;
  }
  return cut || s.slice(0, MAX_LENGTH).replace(/-+$/, '');
}
