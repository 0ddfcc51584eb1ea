// Go's text/tabwriter as vic-machine 1.5's `ls` used it: NewWriter(out, minwidth=8, tabwidth=8, padding=8, ' ', 0).
// Every column but the last is as wide as its widest cell plus 8 spaces (at least 8); the last is not padded.

export function tabwriter(rows: readonly (readonly string[])[], o: { minWidth?: number; padding?: number } = {}): string {
  const minWidth = o.minWidth ?? 8;
  const padding = o.padding ?? 8;
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < cols - 1; c++) {
    const w = Math.max(0, ...rows.map((r) => [...(r[c] ?? '')].length)) + padding;
    widths.push(Math.max(w, minWidth));
  }
  return rows.map((r) => r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(widths[c]!, ' ') : cell)).join('')).join('\n');
}
