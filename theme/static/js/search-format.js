// The static index's file formats (generator/search/shards.py): varints, deflated term
// shards and their positions files, posting lists in columns with whoosh's quantized lengths,
// and the sorted directory entries.

const encoder = new TextEncoder();

export function readVarint(buf, state) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[state.pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte >= 0x80);
  return value;
}

// whoosh's quantized field lengths (whoosh.util.numeric._length_byte_cache): the body
// length byte of a posting means the length whoosh's scorer would see.
export const LENGTHS = [
  0,1,2,3,4,5,6,7,8,9,10,12,13,14,16,17,18,20,21,23,25,26,28,30,32,34,36,38,40,42,45,47,49,52,54,
  57,60,63,66,69,72,75,79,82,86,89,93,97,101,106,110,114,119,124,129,134,139,145,150,156,162,169,
  175,182,189,196,203,211,219,227,235,244,253,262,271,281,291,302,313,324,336,348,360,373,386,399,
  414,428,443,459,475,491,508,526,544,563,583,603,623,645,667,690,714,738,763,789,816,844,873,903,
  933,965,998,1032,1066,1103,1140,1178,1218,1259,1302,1345,1391,1438,1486,1536,1587,1641,1696,
  1753,1811,1872,1935,1999,2066,2135,2207,2280,2356,2435,2516,2600,2687,2777,2869,2965,3063,3165,
  3271,3380,3492,3608,3728,3852,3980,4112,4249,4390,4536,4686,4842,5002,5168,5340,5517,5700,5889,
  6084,6286,6494,6709,6932,7161,7398,7643,7897,8158,8428,8707,8995,9293,9601,9918,10247,10586,
  10936,11298,11671,12057,12456,12868,13294,13733,14187,14656,15141,15641,16159,16693,17244,17814,
  18403,19011,19640,20289,20959,21652,22367,23106,23869,24658,25472,26314,27183,28081,29009,29967,
  30957,31979,33035,34126,35254,36418,37620,38863,40146,41472,42841,44256,45717,47227,48786,50397,
  52061,53780,55556,57390,59285,61242,63264,65352,67510,69739,72041,74419,76876,79414,82035,84743,
  87541,90430,93416,96499,99684,102975,106374
];

// Under Node (the command line), zlib itself: its DecompressionStream wraps the same zlib in
// web streams, which cost a small file more than inflating it. Browsers never load it.
const zlib = typeof process === "object" && process.versions?.node
  ? await import("node:zlib") : null;

// Shards are stored deflated (hosts compress JSON on the fly, but not .bin files).
export async function inflate(buf) {
  if (zlib) return zlib.inflateSync(buf);
  const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// A shard: the digest of its positions file, its front-coded dictionary, then each term's
// postings in columns. A query asks a shard for a term or two of its ~150, so a lookup walks
// the dictionary's bytes (making every term a string cost more): `get(term)` → {count,
// bytes, places: [offset, length] in the positions file, or null for a compound part}.
const DIGEST = 8;
const PART = 0x5f; // "_": a compound part's term, without positions

export function decodeShard(buf) {
  return { get: (term) => find(buf, encoder.encode(term)) };
}

function find(buf, want) {
  const state = { pos: DIGEST };
  const count = readVarint(buf, state);
  // `same`: how many leading bytes of the current term equal `want`'s. A term shares
  // `shared` bytes with the one before; past that one's match it cannot match further.
  let same = 0, offset = 0, placesAt = 0, first = -1, hit;
  for (let i = 0; i < count; i++) {
    const shared = readVarint(buf, state);
    const length = readVarint(buf, state);
    if (shared === 0) first = buf[state.pos];
    if (shared <= same) {
      same = shared;
      const from = state.pos - shared;
      while (same < want.length && same < shared + length && buf[from + same] === want[same]) {
        same += 1;
      }
    }
    state.pos += length;
    const postings = readVarint(buf, state), bytes = readVarint(buf, state);
    const placed = first === PART ? 0 : readVarint(buf, state);
    if (!hit && same === want.length && shared + length === want.length) {
      hit = { count: postings, at: offset, bytes,
        places: first === PART ? null : [placesAt, placed] };
    }
    offset += bytes;
    placesAt += placed;
  }
  if (!hit) return undefined;
  const start = state.pos + hit.at;
  return { count: hit.count, bytes: buf.subarray(start, start + hit.bytes), places: hit.places };
}

// A term's postings as columns (no object per posting: a common word has tens of thousands,
// and making them cost a query more than scoring them): `n` postings (`titled` and `bodied`
// of them in each field), their documents (ascending), categories, term frequencies in
// title and body and body length bytes; with `keep`, per posting its positions in `title`
// and `body` (a phrase's words).
export function postingsOf(count, keep) {
  return { n: 0, titled: 0, bodied: 0, doc: new Int32Array(count),
    category: new Uint8Array(count), tfTitle: new Uint16Array(count),
    tfBody: new Uint16Array(count),
    length: new Uint8Array(count), title: keep ? [] : null, body: keep ? [] : null };
}

// Appends a shard entry's postings to `out` (documents after those already there): the
// column of document gaps, then of packed counts (and title frequencies), then of body
// lengths. With `out.title` (a phrase's word), `places` is the shard's positions file
// (inflated), and each posting's positions in title and body are read from the entry's
// part of it. See generator/search/shards.py.
export function decodeInto(out, entry, categories, places) {
  // Columns and counters in locals: a reader's first query runs this before the JIT has
  // compiled it, where every property read in the loop costs.
  const buf = entry.bytes, from = out.n, count = entry.count;
  const { doc: docs, category, tfTitle: titles, tfBody: bodies, length } = out;
  let pos = 0, titled = 0, bodied = 0, doc = -1;
  const varint = () => {
    let value = 0, shift = 0, byte;
    do {
      byte = buf[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte >= 0x80);
    return value;
  };
  const end = from + count;
  for (let k = from; k < end; k++) {
    const byte = buf[pos]; // one byte mostly: read in line, the rest by varint()
    if (byte < 0x80) { pos += 1; doc += byte + 1; } else doc += varint() + 1;
    docs[k] = doc;
  }
  for (let k = from; k < end; k++) {
    const byte = buf[pos];
    let packed;
    if (byte < 0x80) { pos += 1; packed = byte; } else packed = varint();
    const tfTitle = packed % 2 ? varint() : 0;
    const rest = Math.floor(packed / 2);
    const tfBody = Math.floor(rest / categories);
    category[k] = rest % categories;
    titles[k] = tfTitle;
    bodies[k] = tfBody;
    if (tfTitle) titled += 1;
    if (tfBody) bodied += 1;
  }
  for (let k = from; k < end; k++) length[k] = bodies[k] ? buf[pos++] : 0;
  if (out.title !== null) {
    const [at] = entry.places;
    const state = { pos: at };
    const read = (tf) => {
      const found = [];
      let previous = -1;
      for (let j = 0; j < tf; j++) { previous += readVarint(places, state) + 1; found.push(previous); }
      return found;
    };
    for (let k = from; k < end; k++) { out.title[k] = read(titles[k]); out.body[k] = read(bodies[k]); }
  }
  out.n = end;
  out.titled += titled;
  out.bodied += bodied;
}

// Python's str order is by code point; for the BMP it equals JS's `<`.
const before = (a, b) => a < b;

export function locate(entries, term) {
  // Index of the last entry whose first term <= term (entries sorted by first term).
  let lo = 0, hi = entries.length - 1, found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (!before(term, entries[mid][0])) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}
