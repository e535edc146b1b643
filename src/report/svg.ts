// A small graph → SVG renderer shared by the pictures: boxes (optionally inside titled clusters)
// and labelled edges, laid out by dagre (@dagrejs/dagre, a maintained port of the layered layout).
// Deterministic: the same graph in the same order gives the same bytes; no browser is needed.
import * as dagre from '@dagrejs/dagre';

export type Tone = 'normal' | 'bad' | 'good' | 'decider' | 'muted' | 'nat';

export interface GNode {
  id: string;
  /** first line bold; others plain */
  lines: string[];
  tone?: Tone;
  /** a cluster id */
  parent?: string;
  /** a tooltip (the full text when a line was shortened) */
  title?: string;
}

export interface GCluster {
  id: string;
  label: string;
  parent?: string;
}

export interface GEdge {
  from: string;
  to: string;
  label?: string;
  tone?: Tone;
  dashed?: boolean;
}

export interface Graph {
  title: string;
  subtitle?: string;
  nodes: GNode[];
  clusters?: GCluster[];
  edges: GEdge[];
  rankdir?: 'TB' | 'LR';
}

const CHAR = 7.2; // px per character at 12px monospace
const LINE = 16;
const MAX = 72;

const COLORS: Record<Tone, { fill: string; stroke: string; text: string }> = {
  normal: { fill: '#f5f7fa', stroke: '#7a8699', text: '#1d2733' },
  muted: { fill: '#ffffff', stroke: '#c3cad4', text: '#5b6675' },
  good: { fill: '#e8f6ec', stroke: '#2e8540', text: '#1d4d2a' },
  bad: { fill: '#fdecea', stroke: '#c62828', text: '#8e1c1c' },
  decider: { fill: '#fff4e0', stroke: '#d9822b', text: '#5c3300' },
  nat: { fill: '#eef2fd', stroke: '#3c5bb5', text: '#1c2f66' },
};

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A line no longer than `max` characters (an ellipsis says it was cut). */
export function clip(s: string, max = MAX): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

export function renderGraph(g: Graph): string {
  const lay = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  lay.setGraph({ rankdir: g.rankdir ?? 'TB', nodesep: 24, ranksep: 36, edgesep: 12, marginx: 16, marginy: 16 });
  lay.setDefaultEdgeLabel(() => ({}));
  const clusters = g.clusters ?? [];
  for (const c of clusters) lay.setNode(c.id, { label: c.label, paddingTop: 26, paddingLeft: 12, paddingRight: 12, paddingBottom: 12 });
  for (const c of clusters) if (c.parent) lay.setParent(c.id, c.parent);
  for (const n of g.nodes) {
    const lines = n.lines.map((l) => clip(l));
    lay.setNode(n.id, { width: Math.max(...lines.map((l) => l.length)) * CHAR + 20, height: lines.length * LINE + 12 });
    if (n.parent) lay.setParent(n.id, n.parent);
  }
  g.edges.forEach((e, i) => {
    const label = e.label ? clip(e.label, 60) : '';
    lay.setEdge(e.from, e.to, { width: label.length * CHAR * 0.92, height: label ? LINE : 0, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(lay);
  const gw = (lay.graph() as any).width as number, gh = (lay.graph() as any).height as number;
  const levels = clusters.length ? 1 + Math.max(...clusters.map((c) => { let d = 0; for (let p = c.parent; p; p = clusters.find((x) => x.id === p)?.parent) d++; return d; })) : 0;
  const head = (g.subtitle ? 52 : 32) + 18 * levels;
  const width = Math.max(gw, (Math.max(g.title.length, (g.subtitle ?? '').length) * CHAR) + 32);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${n1(width)}" height="${n1(gh + head)}" viewBox="0 0 ${n1(width)} ${n1(gh + head)}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="12">`);
  out.push(`<title>${esc(g.title)}</title>`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a8699"/></marker>'
    + '<marker id="arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker></defs>');
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="16" y="20" font-weight="bold" font-size="13">${esc(g.title)}</text>`);
  if (g.subtitle) out.push(`<text x="16" y="40" fill="#5b6675">${esc(g.subtitle)}</text>`);
  out.push(`<g transform="translate(0,${head})">`);
  // clusters, outermost first (their order in the input); each grows upwards by a label line per
  // level of clusters it holds, so labels never sit on what is inside
  const below = new Map<string, number>();
  const depthBelow = (id: string): number => {
    let d = below.get(id);
    if (d !== undefined) return d;
    d = 0;
    for (const c of clusters) if (c.parent === id) d = Math.max(d, 1 + depthBelow(c.id));
    below.set(id, d);
    return d;
  };
  for (const c of clusters) {
    const b = lay.node(c.id) as any;
    if (!b || b.width === undefined) continue;
    const grow = 18 * (1 + depthBelow(c.id));
    const top = b.y - b.height / 2 - grow;
    out.push(`<g class="cluster" data-id="${esc(c.id)}"><rect x="${n1(b.x - b.width / 2)}" y="${n1(top)}" width="${n1(b.width)}" height="${n1(b.height + grow)}" rx="8" fill="${c.parent ? '#fbfcfe' : '#f0f3f8'}" stroke="#aab4c3" stroke-dasharray="${c.parent ? '4 3' : ''}"/>`
      + `<text x="${n1(b.x - b.width / 2 + 10)}" y="${n1(top + 14)}" font-weight="bold" fill="#3d4a5c">${esc(clip(c.label, Math.max(8, Math.floor(b.width / CHAR) - 2)))}</text></g>`);
  }
  g.edges.forEach((e, i) => {
    const ed = lay.edge({ v: e.from, w: e.to, name: `e${i}` }) as any;
    if (!ed?.points) return;
    const pts = ed.points as { x: number; y: number }[];
    const c = COLORS[e.tone ?? 'normal'];
    const d = pts.map((p, j) => `${j ? 'L' : 'M'}${n1(p.x)},${n1(p.y)}`).join(' ');
    out.push(`<g class="edge"><path d="${d}" fill="none" stroke="${c.stroke}" stroke-width="1.4"${e.dashed ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#${e.tone === 'bad' ? 'arrow-bad' : 'arrow'})"/>`
      + (e.label ? `<text x="${n1(ed.x)}" y="${n1(ed.y + 4)}" text-anchor="middle" fill="${c.text}" font-size="11" paint-order="stroke" stroke="#ffffff" stroke-width="3">${esc(clip(e.label, 60))}</text>` : '') + '</g>');
  });
  for (const n of g.nodes) {
    const b = lay.node(n.id) as any;
    const c = COLORS[n.tone ?? 'normal'];
    const x = b.x - b.width / 2, y = b.y - b.height / 2;
    const texts = n.lines.map((l, j) => `<text x="${n1(x + 10)}" y="${n1(y + 18 + j * LINE)}" fill="${c.text}"${j === 0 ? ' font-weight="bold"' : ''}>${esc(clip(l))}</text>`).join('');
    const title = n.title ?? (n.lines.some((l) => l.length > MAX) ? n.lines.join('\n') : undefined);
    out.push(`<g class="node ${n.tone ?? 'normal'}" data-id="${esc(n.id)}">${title ? `<title>${esc(title)}</title>` : ''}<rect x="${n1(x)}" y="${n1(y)}" width="${n1(b.width)}" height="${n1(b.height)}" rx="5" fill="${c.fill}" stroke="${c.stroke}" stroke-width="${n.tone === 'decider' || n.tone === 'bad' ? 2.2 : 1.2}"/>${texts}</g>`);
  }
  out.push('</g></svg>');
  return out.join('\n') + '\n';
}
