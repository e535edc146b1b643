// The living-docs site: a static HTML site from a run's results. One page per feature (a chapter:
// its narrative as prose, each scenario with its status, steps and pictures), an index with every
// chapter and a search box (a few lines of plain script; the pages read fine without it).
import { esc } from './svg';

export type Status = 'PASSED' | 'FAILED' | 'SKIPPED' | 'PENDING' | 'UNDEFINED' | 'AMBIGUOUS' | 'UNKNOWN';

export interface DocsStep { keyword: string; text: string; status: Status; message?: string; pictures: string[]; texts: string[] }
export interface DocsScenario { name: string; line: number; status: Status; steps: DocsStep[] }
export interface DocsChapter { uri: string; title: string; description: string; scenarios: DocsScenario[] }

export interface SiteFile { path: string; content: string }

const STYLE = `
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2733;max-width:1100px;margin:0 auto;padding:24px}
a{color:#2456a6}h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 6px}
.lede{color:#4a5565;max-width:75ch}.uri{color:#6b7685;font:12px ui-monospace,monospace}
.badge{display:inline-block;font:600 11px/1 system-ui;padding:4px 7px;border-radius:10px;margin-right:6px;vertical-align:2px}
.PASSED{background:#e3f4e8;color:#1d6b34}.FAILED{background:#fde7e5;color:#a11d1d}.SKIPPED,.PENDING,.UNKNOWN{background:#eceff3;color:#4a5565}.UNDEFINED,.AMBIGUOUS{background:#fff1d6;color:#7a4a00}
section.scenario{border:1px solid #dde3ea;border-radius:8px;padding:10px 16px;margin:14px 0}
ol.steps{list-style:none;padding:0;margin:8px 0}ol.steps li{padding:2px 0}.kw{font-weight:600;color:#2456a6}
li.FAILED-step{color:#a11d1d}pre{background:#f6f8fa;border-radius:6px;padding:8px 10px;overflow:auto;font-size:12px}
figure{margin:10px 0;overflow:auto;border:1px solid #e4e8ee;border-radius:6px;padding:6px}figure img{max-width:none}
#search{width:100%;max-width:460px;font-size:15px;padding:7px 10px;border:1px solid #b9c2cd;border-radius:6px;margin:10px 0}
ul.chapters{padding-left:18px}ul.chapters li{margin:6px 0}.hidden{display:none}.count{color:#6b7685;font-size:13px}
nav{margin-bottom:14px;font-size:14px}`;

function page(title: string, body: string, script = ''): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n${script ? `<script>${script}</script>` : ''}</body></html>\n`;
}

/** "features/dns/search.feature" → "dns-search" */
export function slugOf(uri: string): string {
  return uri.replace(/\.feature$/, '').replace(/^(\.\.\/)+/, '').replace(/^features\//, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'feature';
}

/** The narrative: paragraphs split at blank lines, single newlines joined. */
function prose(text: string): string {
  return text.split(/\n\s*\n/).map((p) => p.trim().replace(/\s*\n\s*/g, ' ')).filter(Boolean).map((p) => `<p class="lede">${esc(p)}</p>`).join('\n');
}

function worst(list: readonly { status: Status }[]): Status {
  const order: Status[] = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN', 'SKIPPED', 'PASSED'];
  let w: Status = 'PASSED';
  for (const x of list) if (order.indexOf(x.status) < order.indexOf(w)) w = x.status;
  return w;
}

export function renderSite(chapters: readonly DocsChapter[], title = 'netspec: the living documentation'): SiteFile[] {
  const files: SiteFile[] = [];
  const sorted = [...chapters].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const slugs = new Map<string, string>();
  for (const c of sorted) {
    let s = slugOf(c.uri);
    while ([...slugs.values()].includes(s)) s += '-x';
    slugs.set(c.uri, s);
  }
  const index: string[] = [];
  for (const c of sorted) {
    const slug = slugs.get(c.uri)!;
    let pic = 0;
    const scen = c.scenarios.map((s, i) => {
      const steps = s.steps.map((st) => {
        const figs = st.pictures.map((svg) => {
          const name = `pictures/${slug}-${++pic}.svg`;
          files.push({ path: name, content: svg });
          const alt = /<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? 'picture';
          return `<figure><img src="${name}" alt="${alt}"></figure>`;
        }).join('');
        const texts = st.texts.map((t) => `<details><summary>trace</summary><pre>${esc(t)}</pre></details>`).join('');
        return `<li class="${st.status}-step"><span class="badge ${st.status}">${st.status.toLowerCase()}</span><span class="kw">${esc(st.keyword.trim())}</span> ${esc(st.text)}${st.message ? `<pre>${esc(st.message)}</pre>` : ''}${texts}${figs}</li>`;
      }).join('\n');
      return `<section class="scenario" id="s${i + 1}"><h2><span class="badge ${s.status}">${s.status.toLowerCase()}</span>${esc(s.name)}</h2><div class="uri">${esc(c.uri)}:${s.line}</div><ol class="steps">\n${steps}\n</ol></section>`;
    }).join('\n');
    const status = worst(c.scenarios);
    files.push({ path: `${slug}.html`, content: page(`${c.title} · netspec`, `<nav><a href="index.html">← all chapters</a></nav>\n<h1><span class="badge ${status}">${status.toLowerCase()}</span>${esc(c.title)}</h1><div class="uri">${esc(c.uri)}</div>\n${prose(c.description)}\n${scen}`) });
    const items = c.scenarios.map((s, i) => `<li data-text="${esc(`${c.title} ${s.name} ${s.steps.map((x) => x.text).join(' ')}`.toLowerCase())}"><span class="badge ${s.status}">${s.status.toLowerCase()}</span><a href="${slug}.html#s${i + 1}">${esc(s.name)}</a></li>`).join('');
    index.push(`<li class="chapter"><a href="${slug}.html"><strong>${esc(c.title)}</strong></a> <span class="badge ${status}">${status.toLowerCase()}</span><div class="lede">${esc(c.description.trim().split(/\n\s*\n/)[0]?.replace(/\s*\n\s*/g, ' ') ?? '')}</div><ul>${items}</ul></li>`);
  }
  const all = sorted.flatMap((c) => c.scenarios);
  const counts = ['PASSED', 'FAILED'].map((s) => `${all.filter((x) => x.status === s).length} ${s.toLowerCase()}`).join(', ');
  const search = `var q=document.getElementById('search');q.addEventListener('input',function(){var t=q.value.toLowerCase().trim();var n=0;document.querySelectorAll('li[data-text]').forEach(function(li){var hit=!t||li.getAttribute('data-text').indexOf(t)>=0;li.classList.toggle('hidden',!hit);if(hit)n++;});document.querySelectorAll('li.chapter').forEach(function(ch){ch.classList.toggle('hidden',!ch.querySelector('li[data-text]:not(.hidden)'));});document.getElementById('found').textContent=t?n+' scenarios match':'';});`;
  files.push({ path: 'index.html', content: page(title, `<h1>${esc(title)}</h1><div class="count">${sorted.length} chapters · ${all.length} scenarios · ${counts}</div>\n<input id="search" type="search" placeholder="Search scenarios and steps…" aria-label="search"> <span id="found" class="count"></span>\n<ul class="chapters">${index.join('\n')}</ul>`, search) });
  return files;
}
