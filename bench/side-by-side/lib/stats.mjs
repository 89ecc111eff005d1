// Medians and p90 by nearest rank, and the numbers formatted as docs/BENCHMARKS.md writes them.
export function quantile(xs, q) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
}
export const median = (xs) => quantile(xs, 0.5);
export const p90 = (xs) => quantile(xs, 0.9);

// Three significant digits below 1,000, whole numbers with thousands separators above.
export function fmt(x) {
  if (!Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return x.toPrecision(3); // 23.0, as the tables write it
}
// CPU comes in 10 ms ticks: whole tens.
export const fmtCpu = (x) => (Number.isFinite(x) ? `${(Math.round(x / 10) * 10).toLocaleString('en-US')} ms` : 'n/a');
// Comparisons: whole numbers from 10×; `decimals` for a multiple of a floor (10.1×), as the tables write them.
export function ratio(a, b, decimals = false) {
  const r = a / b;
  if (!Number.isFinite(r)) return 'n/a';
  return r >= 10 && !decimals ? `${Math.round(r)}×` : `${r < 1 ? r.toFixed(2) : r.toFixed(1)}×`;
}
