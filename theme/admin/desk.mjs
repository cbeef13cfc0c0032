// The editing desk: Decap CMS with Meldungen's article format, widgets, preview and checks,
// started with the configuration the build generated from the settings (config.json).
import { load, FAILSAFE_SCHEMA } from './lib/js-yaml.mjs';
import { articleText, parseArticle, slugify, wallClock } from './format.mjs';
import { Zeit, themen } from './widgets.mjs';
import { preview } from './preview.mjs';

const { CMS } = window;
const response = await fetch('config.json');
const config = await response.json();
const settings = config.meldungen;
delete config.meldungen;
const zone = settings.timezone;

CMS.registerCustomFormat('meldungen', 'md', {
  fromFile: (text) => parseArticle(text, (yaml) => load(yaml, { schema: FAILSAFE_SCHEMA }), zone),
  toFile: (data) => articleText(data, zone),
});
CMS.registerWidget('zeit', Zeit);
CMS.registerWidget('themen', themen(settings.topics));
CMS.registerPreviewStyle(`${settings.root}/theme/css/style.css`);
CMS.registerPreviewStyle(`${settings.root}/admin/preview.css`);
CMS.registerPreviewTemplate('meldungen', preview(settings));

// Before every save: the slug as `meldungen new` makes it, the file's place in TIMEZONE
// (Decap's {{year}} is UTC), and the rules the form cannot express, refused with a reason.
CMS.registerEventListener({
  name: 'preSave',
  handler: ({ entry }) => {
    let data = entry.get('data');
    const problems = [];
    const photo = data.get('image');
    if (photo && photo.get && photo.get('file') && !String(photo.get('alt') || '').trim()) {
      problems.push('Das Foto braucht einen Alternativtext: was es zeigt.');
    }
    if (String(data.get('withdrawn_note') || '').trim() && data.get('status') !== 'withdrawn') {
      problems.push('Ein Hinweis zur Rücknahme gilt nur für eine zurückgezogene Meldung.');
    }
    const body = String(data.get('body') || '').trim();
    if (!body || body.startsWith('![')) {
      problems.push('Der Text braucht einen ersten Absatz (Vorspann).');
    }
    if (problems.length) throw new Error(problems.join(' '));
    // A new report's URL is pinned, as `meldungen new` does; an existing one keeps its own
    // (a re-send's URL carries its time, which only the build knows).
    if (entry.get('newRecord') && !String(data.get('slug') || '').trim()) {
      data = data.set('slug', slugify(data.get('title')));
    }
    // A report's photos go into a folder named like its file (media_folder {{filename}}),
    // which a new report has only now: Decap moves the upload there, we name it so.
    const file = String(data.getIn(['image', 'file']) || '');
    if (entry.get('newRecord') && file && !file.includes('/')) {
      data = data.setIn(['image', 'file'], `${data.get('slug')}/${file}`);
    }
    const local = wallClock(data.get('date'), zone);
    return data.set('meldungen_year', local.slice(0, 4)).set('meldungen_month', local.slice(5, 7))
      .set('meldungen_day', local.slice(8, 10));
  },
});

// On 127.0.0.1 the desk edits the local checkout through `meldungen serve --cms`.
config.local_backend = { url: `${window.location.origin}/api/v1` };
CMS.init({ config });
