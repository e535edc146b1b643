// "Did you mean": the known names closest to what a user typed (Damerau–Levenshtein distance,
// case-insensitive), for hints on unknown commands, kinds, pods, workloads and step phrases.

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const n = a.length, m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2: number[] = new Array(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  let cur: number[] = new Array(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * Up to `n` candidates closest to `typed`, nearest first (ties in the candidates' order). With
 * `maxRatio`, a candidate further than that fraction of the longer text is left out.
 */
export function closest(typed: string, candidates: Iterable<string>, n = 3, maxRatio = Infinity): string[] {
  const t = typed.toLowerCase();
  const scored: { c: string; d: number; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    const d = editDistance(t, c.toLowerCase());
    if (d / Math.max(t.length, c.length, 1) <= maxRatio) scored.push({ c, d, i });
    i++;
  }
  scored.sort((a, b) => a.d - b.d || a.i - b.i);
  const out: string[] = [];
  for (const s of scored) {
    if (!out.includes(s.c)) out.push(s.c);
    if (out.length === n) break;
  }
  return out;
}

/** ' (did you mean "a", "b"?)' or '' when nothing is close enough. */
export function didYouMean(typed: string, candidates: Iterable<string>, n = 3): string {
  const near = closest(typed, candidates, n, 0.5);
  return near.length ? ` (did you mean ${near.map((x) => `"${x}"`).join(', ')}?)` : '';
}

/** "a, b, c": the `n` names closest to `typed`, nearest first, or "none" (for "no pod X (closest: …)" hints). */
export function closestList(typed: string, candidates: Iterable<string>, n = 3): string {
  const near = closest(typed, candidates, n);
  return near.length ? near.join(', ') : 'none';
}
