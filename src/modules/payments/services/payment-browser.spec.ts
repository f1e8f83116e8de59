import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseTransactionKey, transactionKey } from './payment-browser.js';

describe('transaction keys', () => {
  it('name agency and reference, and give them back, colons in the reference included', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9]{2,10}$/),
        fc.string({ minLength: 1, maxLength: 100 }),
        (agencyCode, externalRef) => {
          expect(parseTransactionKey(transactionKey({ agencyCode, externalRef }))).toEqual({
            agencyCode,
            externalRef,
          });
        },
      ),
    );
    expect(transactionKey({ agencyCode: 'NPRA', externalRef: 'INV:2025:7' })).toBe(
      'NPRA:INV:2025:7',
    );
  });

  it('refuse what names no agency or no reference', () => {
    for (const key of ['', 'NPRA', 'NPRA:', ':R-1', ':'])
      expect(parseTransactionKey(key)).toBeNull();
  });
});
