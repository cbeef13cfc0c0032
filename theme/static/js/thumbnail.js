// A teaser's thumbnail as the page's own teasers show it (theme/templates/_macros.html:
// thumb), from its names: {p: "bilder/<hash>", pw: [widths], ph: the JPEG's height}. Every
// file is <p>-<width>.<avif|webp|jpg>. Decorative: the headline beside it says what it shows.
export function thumbnail(root, { p, pw, ph }) {
  const picture = document.createElement("picture");
  for (const [ext, type] of [["avif", "image/avif"], ["webp", "image/webp"]]) {
    const source = document.createElement("source");
    source.type = type;
    source.srcset = pw.map((w) => `${root}${p}-${w}.${ext} ${w}w`).join(", ");
    source.sizes = "(min-width: 64rem) 8rem, 7.5rem";
    picture.append(source);
  }
  const img = document.createElement("img");
  const widest = pw[pw.length - 1];
  img.src = `${root}${p}-${widest}.jpg`;
  Object.assign(img, { width: widest, height: ph, alt: "", loading: "lazy", decoding: "async" });
  picture.append(img);
  const box = document.createElement("div");
  box.className = "teaser-photo";
  box.append(picture);
  return box;
}
