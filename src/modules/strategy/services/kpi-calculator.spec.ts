import { describe, expect, it } from '@jest/globals';
import type { KpiDefinition } from '../entities/kpi-definition.entity.js';
import type { StrategySources } from '../ports/sources.js';
import { KpiCalculator } from './kpi-calculator.js';

const def = (source: KpiDefinition['source']) => ({ source }) as KpiDefinition;
const none = {
  ekey: () => null,
  registry: () => null,
  payments: () => null,
  notifications: () => null,
} as unknown as StrategySources;

describe('KPI calculator', () => {
  it('reports a KPI whose module is absent as unavailable with coverage 0', async () => {
    const sut = new KpiCalculator(none);
    for (const source of [
      'computed:ekey.registrations',
      'computed:registry.online_services_added',
      'computed:payments.electronic_share_count',
      'computed:notifications.paper_letters_replaced',
    ] as const) {
      const c = await sut.compute(def(source), 2017);
      expect(c).toMatchObject({ available: false, coveragePercent: 0 });
    }
  });

  it('asks eKey for the Bahrain calendar year and refuses a nonsense count', async () => {
    const asked: unknown[] = [];
    let answer = 75_000;
    const sut = new KpiCalculator({
      ...none,
      ekey: () => ({
        registrations: async (r: unknown) => {
          asked.push(r);
          return answer;
        },
      }),
    } as unknown as StrategySources);
    expect(await sut.compute(def('computed:ekey.registrations'), 2017)).toMatchObject({
      available: true,
      numerator: 75_000n,
      denominator: null,
    });
    expect(asked).toEqual([{ from: '2017-01-01', to: '2017-12-31' }]);
    answer = 1.5;
    expect(await sut.compute(def('computed:ekey.registrations'), 2017)).toMatchObject({
      available: false,
    });
  });

  it('takes the share by value from fils as exact bigints', async () => {
    const sut = new KpiCalculator({
      ...none,
      payments: () => ({
        electronicShare: async () => ({
          count: { electronic: 1, total: 3 },
          valueFils: { electronic: 2n ** 60n, total: 2n ** 61n },
        }),
      }),
    } as unknown as StrategySources);
    expect(await sut.compute(def('computed:payments.electronic_share_value'), 2017)).toMatchObject({
      numerator: 2n ** 60n,
      denominator: 2n ** 61n,
    });
    expect(await sut.compute(def('entered'), 2017)).toBeNull();
  });
});
