/** Latency samples in milliseconds, kept in a growable typed array (hundreds of thousands per scenario). */
export class Samples {
  private values = new Float64Array(1 << 16);
  private length = 0;

  add(ms: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length] = ms;
    this.length += 1;
  }

  get count(): number {
    return this.length;
  }

  summary(): LatencySummary | null {
    if (this.length === 0) return null;
    const sorted = this.values.slice(0, this.length).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: sorted.length,
      mean: sum / sorted.length,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: sorted[sorted.length - 1]!,
    };
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** `123456` → `123 456` (thin grouping that survives Markdown tables). */
export function fmtInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

export function fmtPct(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${Math.round(fraction * 100)} %`;
}

export function fmtRatio(value: number, baseline: number): string {
  if (!(baseline > 0)) return '–';
  const r = value / baseline;
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}
