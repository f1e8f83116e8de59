import { describe, expect, it } from '@jest/globals';
import { createValidationPipe } from '../../../platform/errors/validation.js';
import { SearchServicesQuery } from './catalogue.dto.js';

/** The same DTO without its fast path: what class-validator alone decides. */
class ClassValidatorOnly extends SearchServicesQuery {
  static override fromValidInput(): undefined {
    return undefined;
  }
}

const pipe = createValidationPipe();
const slow = async (input: object) => {
  try {
    return {
      ok: { ...(await pipe.transform(input, { type: 'query', metatype: ClassValidatorOnly })) },
    };
  } catch {
    return { refused: true };
  }
};
/** A query object as Express 5 parses one (node:querystring: no prototype). */
const query = (fields: Record<string, string | string[]>) =>
  Object.assign(Object.create(null) as object, fields);

const VALUES: Record<string, (string | string[])[]> = {
  q: [
    '',
    'تجديد جواز السفر',
    'passport',
    'x'.repeat(200),
    'x'.repeat(201),
    ['a', 'b'],
    '😀'.repeat(150),
  ],
  agency: ['NPRA', 'npra', 'N', 'A1', 'ABCDEFGHIJKLMNOP', 'ABCDEFGHIJKLMNOPQ', ''],
  audience: ['citizens', 'businesses', 'martians', ''],
  channel: ['online', 'counter', 'carrier_pigeon'],
  lifeEvent: ['having_a_child', 'x'],
  price: ['free', 'paid', 'cheap', 'FREE'],
  onlineOnly: ['true', 'false', '1', ''],
  facets: ['true', 'false', 'yes'],
  limit: ['1', '20', '99', '100', '101', '0', '07', '-1', '1.5', ' 5', '1e2', '', 'abc'],
  cursor: ['WzMsMCwiTlBSQS0wMDAxIl0', 'x'.repeat(300), 'x'.repeat(301)],
  sort: ['x'],
  constructor: ['x'],
};

describe('SearchServicesQuery.fromValidInput', () => {
  it('accepts a plain search and gives what class-validator gives', async () => {
    const input = query({ q: 'رخصة', limit: '20', price: 'free', onlineOnly: 'true' });
    const fast = SearchServicesQuery.fromValidInput(input);
    expect(fast).toBeInstanceOf(SearchServicesQuery);
    expect({ ...fast }).toEqual((await slow(input)).ok);
    expect(fast?.limit).toBe(20);
  });

  it('never accepts what class-validator refuses, and agrees on what it accepts', async () => {
    // Every parameter value alone, then random combinations of two to four of them.
    const inputs: Record<string, string | string[]>[] = [];
    for (const [key, values] of Object.entries(VALUES))
      for (const v of values) inputs.push({ [key]: v });
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = Object.keys(VALUES);
    for (let i = 0; i < 400; i++) {
      const fields: Record<string, string | string[]> = {};
      for (let k = 0, n = 2 + random(3); k < n; k++) {
        const key = keys[random(keys.length)];
        fields[key] = VALUES[key][random(VALUES[key].length)];
      }
      inputs.push(fields);
    }
    let accepted = 0;
    for (const fields of inputs) {
      const fast = SearchServicesQuery.fromValidInput(query(fields));
      if (fast === undefined) continue;
      accepted += 1;
      expect({ fields, result: (await slow(query(fields))).ok }).toEqual({
        fields,
        result: { ...fast },
      });
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('leaves anything unusual to class-validator', () => {
    for (const input of [
      query({ sort: 'x' }),
      query({ q: ['a', 'b'] }),
      query({ limit: '07' }),
      { q: 'x', __proto__: { agency: 'NPRA' } },
      null,
      'q=x',
    ])
      expect(SearchServicesQuery.fromValidInput(input)).toBeUndefined();
  });
});
