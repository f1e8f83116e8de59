/**
 * Control totals of an export: rows counted (and fils summed) per value of each dimension, e.g.
 * `status: { succeeded: { count: 9, fils: "12500" } }`. Fils are digit strings in the manifest.
 */
export interface TotalCell {
  count: number;
  fils: string;
}

export type ControlTotals = Record<string, Record<string, TotalCell>>;

export class ControlTotalsAccumulator {
  private readonly dims = new Map<string, Map<string, { count: number; fils: bigint }>>();
  rows = 0;

  constructor(private readonly dimensions: readonly string[]) {
    for (const d of dimensions) this.dims.set(d, new Map());
  }

  /** `keys[i]` is the row's value for dimension i. */
  add(keys: readonly string[], fils = 0n): void {
    this.rows++;
    for (let i = 0; i < this.dimensions.length; i++) {
      const m = this.dims.get(this.dimensions[i])!;
      const k = keys[i] ?? '';
      const cell = m.get(k);
      if (cell) {
        cell.count++;
        cell.fils += fils;
      } else m.set(k, { count: 1, fils });
    }
  }

  totals(): ControlTotals {
    return Object.fromEntries(
      [...this.dims].map(([d, m]) => [
        d,
        Object.fromEntries(
          [...m]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, v]) => [k, { count: v.count, fils: v.fils.toString() }]),
        ),
      ]),
    );
  }
}

/** The differences between two sets of totals, as readable lines; empty when they agree. */
export function compareTotals(actual: ControlTotals, expected: ControlTotals): string[] {
  const out: string[] = [];
  const dims = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const d of [...dims].sort()) {
    const a = actual[d] ?? {};
    const e = expected[d] ?? {};
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(e)])].sort()) {
      const ac = a[k] ?? { count: 0, fils: '0' };
      const ec = e[k] ?? { count: 0, fils: '0' };
      if (ac.count !== ec.count || BigInt(ac.fils) !== BigInt(ec.fils))
        out.push(
          `${d}=${k}: exported ${ac.count} rows / ${ac.fils} fils, expected ${ec.count} / ${ec.fils}`,
        );
    }
  }
  return out;
}
