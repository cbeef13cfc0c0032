// Snowball 3 German stemmer, ported line by line from the code Snowball 3.1.1 generates for
// Python (PyPI snowballstemmer), so that the browser's stem of a word is the build's stem.
// Works on an array of code points, as Python strings do (no UTF-16 surrogate surprises).
// tests/js/search.test.mjs compares it with snowballstemmer over a large word list.

const V = new Set(["a", "e", "i", "o", "u", "y", "ä", "ö", "ü"]);
const ET_ENDING = new Set(["U", "d", "f", "g", "k", "l", "m", "n", "r", "s", "t", "z", "ä"]);
const S_ENDING = new Set(["b", "d", "f", "g", "h", "k", "l", "m", "n", "r", "t"]);
const ST_ENDING = new Set(["b", "d", "f", "g", "h", "k", "l", "m", "n", "t"]);

// [string, substring_i, result]: Snowball's "among" tables, sorted as the generator sorts them.
const A0 = [["", -1, 5], ["ae", 0, 2], ["oe", 0, 3], ["qu", 0, -1], ["ue", 0, 4], ["ß", 0, 1]];
const A1 = [["", -1, 5], ["U", 0, 2], ["Y", 0, 1], ["ä", 0, 3], ["ö", 0, 4], ["ü", 0, 2]];
const A2 = [["e", -1, 3], ["em", -1, 1], ["en", -1, 3], ["erinnen", 2, 2], ["erin", -1, 2],
  ["ln", -1, 5], ["ern", -1, 2], ["er", -1, 2], ["s", -1, 4], ["es", 8, 3], ["lns", 8, 5]];
const A3 = [["tick", -1, -1], ["plan", -1, -1], ["geordn", -1, -1], ["intern", -1, -1],
  ["tr", -1, -1]];
const A4 = [["en", -1, 1], ["er", -1, 1], ["et", -1, 3], ["st", -1, 2], ["est", 3, 1]];
const A5 = [["ig", -1, 1], ["lich", -1, 1]];
const A6 = [["end", -1, 1], ["ig", -1, 2], ["ung", -1, 1], ["lich", -1, 3], ["isch", -1, 2],
  ["ik", -1, 2], ["heit", -1, 3], ["keit", -1, 4]];
const A7 = [["'", -1, 1], ["'sch", -1, 1], ["'s", -1, 1]];
const prep = (table) => table.map(([s, sub, result]) => ({ s: Array.from(s), sub, result }));
const [a0, a1, a2, a3, a4, a5, a6, a7] = [A0, A1, A2, A3, A4, A5, A6, A7].map(prep);
const cp = (ch) => ch.codePointAt(0);
const FOLDED = /[äöüßUY]|[aou]e/u;
const UNMARK = { U: "u", Y: "y", ä: "a", ö: "o", ü: "u" };

class Stemmer {
  constructor(word) {
    this.cur = Array.from(word);
    this.cursor = 0;
    this.limit = this.cur.length;
    this.limitBackward = 0;
    this.bra = 0;
    this.ket = this.limit;
    this.p1 = 0;
    this.p2 = 0;
  }
  inGrouping(s) {
    if (this.cursor >= this.limit || !s.has(this.cur[this.cursor])) return false;
    this.cursor += 1;
    return true;
  }
  inGroupingB(s) {
    if (this.cursor <= this.limitBackward || !s.has(this.cur[this.cursor - 1])) return false;
    this.cursor -= 1;
    return true;
  }
  goInGrouping(s) {
    while (this.cursor < this.limit) {
      if (!s.has(this.cur[this.cursor])) return true;
      this.cursor += 1;
    }
    return false;
  }
  goOutGrouping(s) {
    while (this.cursor < this.limit) {
      if (s.has(this.cur[this.cursor])) return true;
      this.cursor += 1;
    }
    return false;
  }
  eqSB(str) {
    const s = Array.from(str);
    if (this.cursor - this.limitBackward < s.length) return false;
    for (let i = 0; i < s.length; i++) {
      if (this.cur[this.cursor - s.length + i] !== s[i]) return false;
    }
    this.cursor -= s.length;
    return true;
  }
  findAmong(v) {
    let i = 0, j = v.length, commonI = 0, commonJ = 0, firstKeyInspected = false;
    const c = this.cursor, l = this.limit;
    for (;;) {
      const k = i + ((j - i) >> 1);
      let diff = 0;
      let common = Math.min(commonI, commonJ);
      const w = v[k];
      for (let i2 = common; i2 < w.s.length; i2++) {
        if (c + common === l) { diff = -1; break; }
        diff = cp(this.cur[c + common]) - cp(w.s[i2]);
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) { j = k; commonJ = common; } else { i = k; commonI = common; }
      if (j - i <= 1) {
        if (i > 0 || j === i || firstKeyInspected) break;
        firstKeyInspected = true;
      }
    }
    for (;;) {
      const w = v[i];
      if (commonI >= w.s.length) { this.cursor = c + w.s.length; return w.result; }
      i = w.sub;
      if (i < 0) return 0;
    }
  }
  findAmongB(v) {
    let i = 0, j = v.length, commonI = 0, commonJ = 0, firstKeyInspected = false;
    const c = this.cursor, lb = this.limitBackward;
    for (;;) {
      const k = i + ((j - i) >> 1);
      let diff = 0;
      let common = Math.min(commonI, commonJ);
      const w = v[k];
      for (let i2 = w.s.length - 1 - common; i2 >= 0; i2--) {
        if (c - common === lb) { diff = -1; break; }
        diff = cp(this.cur[c - 1 - common]) - cp(w.s[i2]);
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) { j = k; commonJ = common; } else { i = k; commonI = common; }
      if (j - i <= 1) {
        if (i > 0 || j === i || firstKeyInspected) break;
        firstKeyInspected = true;
      }
    }
    for (;;) {
      const w = v[i];
      if (commonI >= w.s.length) { this.cursor = c - w.s.length; return w.result; }
      i = w.sub;
      if (i < 0) return 0;
    }
  }
  sliceFrom(str) {
    const s = Array.from(str);
    const adjustment = s.length - (this.ket - this.bra);
    this.cur.splice(this.bra, this.ket - this.bra, ...s);
    this.limit += adjustment;
    if (this.cursor >= this.ket) this.cursor += adjustment;
    else if (this.cursor > this.bra) this.cursor = this.bra;
    this.ket = this.bra + s.length;
  }
  sliceDel() { this.sliceFrom(""); }
  charAt(i) { return this.cur[i]; }

  prelude() {
    const v1 = this.cursor;
    // u and y between vowels are consonants: mark them U / Y.
    for (;;) {
      const v2 = this.cursor;
      let found = false;
      for (;;) {
        const v3 = this.cursor;
        let ok = false;
        if (this.inGrouping(V)) {
          this.bra = this.cursor;
          const v4 = this.cursor;
          if (this.cursor < this.limit && this.charAt(this.cursor) === "u") {
            this.cursor += 1;
            this.ket = this.cursor;
            if (this.inGrouping(V)) { this.sliceFrom("U"); ok = true; }
          }
          if (!ok) {
            this.cursor = v4;
            if (this.cursor < this.limit && this.charAt(this.cursor) === "y") {
              this.cursor += 1;
              this.ket = this.cursor;
              if (this.inGrouping(V)) { this.sliceFrom("Y"); ok = true; }
            }
          }
        }
        if (ok) { this.cursor = v3; found = true; break; }
        this.cursor = v3;
        if (this.cursor >= this.limit) break;
        this.cursor += 1;
      }
      if (!found) { this.cursor = v2; break; }
    }
    this.cursor = v1;
    for (;;) {
      const v5 = this.cursor;
      this.bra = this.cursor;
      const amongVar = this.findAmong(a0);
      this.ket = this.cursor;
      if (amongVar === 1) this.sliceFrom("ss");
      else if (amongVar === 2) this.sliceFrom("ä");
      else if (amongVar === 3) this.sliceFrom("ö");
      else if (amongVar === 4) this.sliceFrom("ü");
      else if (amongVar === 5) {
        if (this.cursor >= this.limit) { this.cursor = v5; break; }
        this.cursor += 1;
      }
    }
  }

  markRegions() {
    this.p1 = this.limit;
    this.p2 = this.limit;
    const v1 = this.cursor;
    if (this.cursor + 3 > this.limit) return;
    this.cursor += 3;
    const x = this.cursor;
    this.cursor = v1;
    if (!this.goOutGrouping(V)) return;
    this.cursor += 1;
    if (!this.goInGrouping(V)) return;
    this.cursor += 1;
    this.p1 = this.cursor;
    if (this.p1 < x) this.p1 = x;
    if (!this.goOutGrouping(V)) return;
    this.cursor += 1;
    if (!this.goInGrouping(V)) return;
    this.cursor += 1;
    this.p2 = this.cursor;
  }

  postlude() {
    for (;;) {
      const v1 = this.cursor;
      this.bra = this.cursor;
      const amongVar = this.findAmong(a1);
      this.ket = this.cursor;
      if (amongVar === 1) this.sliceFrom("y");
      else if (amongVar === 2) this.sliceFrom("u");
      else if (amongVar === 3) this.sliceFrom("a");
      else if (amongVar === 4) this.sliceFrom("o");
      else {
        if (this.cursor >= this.limit) { this.cursor = v1; break; }
        this.cursor += 1;
      }
    }
  }

  r1() { return this.p1 <= this.cursor; }
  r2() { return this.p2 <= this.cursor; }

  standardSuffix() {
    const v1 = this.limit - this.cursor;
    step1: {
      this.ket = this.cursor;
      const amongVar = this.findAmongB(a2);
      if (amongVar === 0) break step1;
      this.bra = this.cursor;
      if (!this.r1()) break step1;
      if (amongVar === 1) {
        const save = this.cursor;
        if (this.eqSB("syst")) break step1;
        this.cursor = save;
        this.sliceDel();
      } else if (amongVar === 2) {
        this.sliceDel();
      } else if (amongVar === 3) {
        this.sliceDel();
        const v2 = this.limit - this.cursor;
        this.ket = this.cursor;
        if (this.cursor <= this.limitBackward || this.charAt(this.cursor - 1) !== "s") {
          this.cursor = this.limit - v2;
        } else {
          this.cursor -= 1;
          this.bra = this.cursor;
          if (!this.eqSB("nis")) this.cursor = this.limit - v2;
          else this.sliceDel();
        }
      } else if (amongVar === 4) {
        if (!this.inGroupingB(S_ENDING)) break step1;
        this.sliceDel();
      } else {
        this.sliceFrom("l");
      }
    }
    this.cursor = this.limit - v1;
    const v3 = this.limit - this.cursor;
    step2: {
      this.ket = this.cursor;
      const amongVar = this.findAmongB(a4);
      if (amongVar === 0) break step2;
      this.bra = this.cursor;
      if (!this.r1()) break step2;
      if (amongVar === 1) {
        this.sliceDel();
      } else if (amongVar === 2) {
        if (!this.inGroupingB(ST_ENDING)) break step2;
        if (this.cursor - 3 < this.limitBackward) break step2;
        this.cursor -= 3;
        this.sliceDel();
      } else {
        const v4 = this.limit - this.cursor;
        if (!this.inGroupingB(ET_ENDING)) break step2;
        this.cursor = this.limit - v4;
        const v5 = this.limit - this.cursor;
        if (this.findAmongB(a3) !== 0) break step2;
        this.cursor = this.limit - v5;
        this.sliceDel();
      }
    }
    this.cursor = this.limit - v3;
    const v6 = this.limit - this.cursor;
    step3: {
      this.ket = this.cursor;
      const amongVar = this.findAmongB(a6);
      if (amongVar === 0) break step3;
      this.bra = this.cursor;
      if (!this.r2()) break step3;
      if (amongVar === 1) {
        this.sliceDel();
        const v7 = this.limit - this.cursor;
        sub: {
          this.ket = this.cursor;
          if (!this.eqSB("ig")) { this.cursor = this.limit - v7; break sub; }
          this.bra = this.cursor;
          if (this.cursor > this.limitBackward && this.charAt(this.cursor - 1) === "e") {
            this.cursor = this.limit - v7;
            break sub;
          }
          if (!this.r2()) { this.cursor = this.limit - v7; break sub; }
          this.sliceDel();
        }
      } else if (amongVar === 2) {
        if (this.cursor > this.limitBackward && this.charAt(this.cursor - 1) === "e") break step3;
        this.sliceDel();
      } else if (amongVar === 3) {
        this.sliceDel();
        const v8 = this.limit - this.cursor;
        sub: {
          this.ket = this.cursor;
          if (!this.eqSB("er") && !this.eqSB("en")) { this.cursor = this.limit - v8; break sub; }
          this.bra = this.cursor;
          if (!this.r1()) { this.cursor = this.limit - v8; break sub; }
          this.sliceDel();
        }
      } else {
        this.sliceDel();
        const v9 = this.limit - this.cursor;
        sub: {
          this.ket = this.cursor;
          if (this.findAmongB(a5) === 0) { this.cursor = this.limit - v9; break sub; }
          this.bra = this.cursor;
          if (!this.r2()) { this.cursor = this.limit - v9; break sub; }
          this.sliceDel();
        }
      }
    }
    this.cursor = this.limit - v6;
    const v10 = this.limit - this.cursor;
    step4: {
      this.ket = this.cursor;
      if (this.findAmongB(a7) === 0) break step4;
      this.bra = this.cursor;
      if (this.cursor <= this.limitBackward) break step4;
      this.cursor -= 1;
      if (this.cursor <= this.limitBackward) break step4;
      this.sliceDel();
    }
    this.cursor = this.limit - v10;
  }

  result() { return this.cur.slice(0, this.limit).join(""); }
}

/** Snowball 3 German stem of a lowercase word; equals snowballstemmer's stemWord. */
export function stem(word) {
  const z = new Stemmer(word);
  z.prelude();
  z.cursor = 0;
  z.markRegions();
  z.cursor = 0;
  z.limitBackward = z.cursor;
  z.cursor = z.limit;
  z.standardSuffix();
  z.cursor = z.limitBackward;
  z.postlude();
  return z.result();
}

/** The stemmer's spelling folding alone (prelude + postlude): "außen" → "aussen". The same
 * steps as Stemmer's prelude and postlude, written out for a word at a time (excerpts fold
 * every word of the reports shown, often before the JIT has compiled anything). */
export function fold(word) {
  // Only these change anything (the u and y the prelude marks, the postlude unmarks):
  // most words go through unchanged.
  if (!FOLDED.test(word)) return word;
  const c = Array.from(word);
  for (let i = 1; i + 1 < c.length; i++) { // u and y between vowels: U and Y
    if ((c[i] === "u" || c[i] === "y") && V.has(c[i - 1]) && V.has(c[i + 1])) {
      c[i] = c[i] === "u" ? "U" : "Y";
    }
  }
  let out = "";
  for (let i = 0; i < c.length; i++) {
    const two = c[i] + (i + 1 < c.length ? c[i + 1] : "");
    if (two === "qu") { out += two; i += 1; }
    else if (two === "ae" || two === "oe" || two === "ue") { out += c[i]; i += 1; } // ä, ö, ü
    else if (c[i] === "ß") out += "ss";
    else out += UNMARK[c[i]] || c[i];
  }
  return out;
}
