// The preview pane: a report as the article page shows it (keywords line, headline,
// dateline, lead, body, corrections, source line), styled by the theme's own CSS.
import { marked } from './lib/marked.esm.js';
import { isoInZone } from './format.mjs';

const { h, createClass } = window;

function german(wall) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(String(wall || ''));
  return m ? `${m[3]}.${m[2]}.${m[1]} - ${m[4]}:${m[5]}` : '';
}

function html(markdown) {
  return { __html: marked.parse(markdown || '', { async: false }) };
}

export function preview(settings) {
  return createClass({
    render() {
      const data = this.props.entry.get('data');
      const get = (key) => (data.get(key) && data.get(key).toJS ? data.get(key).toJS()
        : data.get(key));
      const tags = get('tags') || [];
      const body = String(get('body') || '').replace(/\r\n?/g, '\n').trim();
      const cut = body.search(/\n\s*\n/);
      const lead = cut < 0 ? body : body.slice(0, cut);
      const rest = cut < 0 ? '' : body.slice(cut).trim();
      let datetime = '';
      try { datetime = get('date') ? isoInZone(get('date'), settings.timezone) : ''; } catch { /* typing */ }
      const corrections = (get('corrections') || []).filter((c) => c && c.text);
      const photo = get('image') || {};
      const asset = photo.file ? this.props.getAsset(photo.file) : null;
      const credit = photo.credit || settings.imageCredit;
      return h('main', { className: 'with-aside' },
        h('article', { className: 'report' },
          get('draft') ? h('p', { className: 'preview-mark' }, 'Entwurf') : null,
          tags.length ? h('p', { className: 'keywords' }, tags.join(', ')) : null,
          h('h1', null, get('title') || ''),
          h('p', { className: 'dateline' },
            h('time', { dateTime: datetime }, german(get('date'))), ' · ', get('category') || ''),
          asset ? h('figure', { className: 'photo lead-photo' },
            h('picture', null, h('img', { src: String(asset), alt: photo.alt || '' })),
            h('figcaption', null, photo.caption ? `Foto: ${photo.caption}, via ${credit}`
              : `Foto: ${credit}`)) : null,
          h('div', { className: 'lead', dangerouslySetInnerHTML: html(lead) }),
          h('div', { className: 'body', dangerouslySetInnerHTML: html(rest) }),
          corrections.length ? h('div', { className: 'corrections' }, corrections.map((c, i) =>
            h('p', { className: 'correction', key: i },
              `Korrektur vom ${german(c.date).replace(' - ', ', ')} Uhr: ${c.text}`))) : null,
          h('p', { className: 'source' }, `@ ${get('source') || settings.source}`)));
    },
  });
}
