// "Did you mean" for mistyped flags and commands: optimal-string-alignment distance, plus prefixes.

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate to `typed`, or undefined when nothing is close: within a third of the length (at least 1,
 * at most 3 edits), a candidate that starts with what was typed (3+ characters; the shortest wins), or one that
 * what was typed starts with (`memory-limit` → `memory`).
 */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
  const t = typed.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score: number;
    if (cl === t) score = 0;
    else if (t.length >= 3 && cl.startsWith(t)) score = 0.5 + cl.length / 1000;
    else if (cl.length >= 4 && t.startsWith(cl)) score = 1.5 - cl.length / 1000;
    else {
      const dist = editDistance(t, cl);
      const limit = Math.min(3, Math.max(1, Math.floor(Math.max(t.length, cl.length) / 3)));
      if (dist > limit) continue;
      score = dist;
    }
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
