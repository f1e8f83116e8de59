import { describe, expect, it } from '@jest/globals';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import {
  assertAttemptAllowed,
  decideAttempt,
  delayAfterFailures,
  isLocked,
  NO_FAILURES,
  recordFailure,
  recordSuccess,
  type FailureKind,
  type ThrottleState,
} from './throttle-policy.js';

const t0 = new Date('2025-03-01T08:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
function failTimes(
  n: number,
  kind: FailureKind,
  state: ThrottleState = NO_FAILURES,
): ThrottleState {
  for (let i = 0; i < n; i++) state = recordFailure(state, kind, t0);
  return state;
}

describe('throttle policy', () => {
  it('lets the first 3 failures go free, then doubles the wait up to 15 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 13, 14].map(delayAfterFailures)).toEqual([
      0, 0, 0, 0, 1, 2, 4, 8, 512, 900,
    ]);
    expect(delayAfterFailures(99)).toBe(900);
  });

  it('allows an attempt right after 3 failures', () => {
    expect(decideAttempt(failTimes(3, 'password'), 'password', t0)).toEqual({ allowed: true });
  });

  it('refuses an attempt during the wait and says how long is left', () => {
    const state = failTimes(6, 'password'); // wait 4 s
    expect(decideAttempt(state, 'password', at(1.5))).toEqual({
      allowed: false,
      locked: false,
      retryAfterSeconds: 3,
    });
    expect(decideAttempt(state, 'password', at(4))).toEqual({ allowed: true });
  });

  it('counts password and code failures apart', () => {
    const state = failTimes(10, 'code');
    expect(decideAttempt(state, 'code', at(1))).toMatchObject({ allowed: false });
    expect(decideAttempt(state, 'password', at(1))).toEqual({ allowed: true });
    // A right password does not forgive wrong codes.
    const afterPassword = recordSuccess(state, 'password');
    expect(afterPassword.code.count).toBe(10);
    expect(recordSuccess(afterPassword, 'code')).toEqual(NO_FAILURES);
  });

  it('locks the account at 100 consecutive failures of either kind, whatever the time', () => {
    expect(isLocked(failTimes(99, 'password'))).toBe(false);
    const locked = failTimes(100, 'code');
    expect(isLocked(locked)).toBe(true);
    expect(decideAttempt(locked, 'password', at(86_400 * 365))).toEqual({
      allowed: false,
      locked: true,
    });
  });

  it('throws EKEY_THROTTLED with Retry-After, then EKEY_LOCKED', () => {
    try {
      assertAttemptAllowed(failTimes(5, 'password'), 'password', t0);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainException);
      const ex = e as DomainException;
      expect(ex.code).toBe('EKEY_THROTTLED');
      expect(ex.extensions).toEqual({ retryAfter: 2 });
      expect(ex.headers).toEqual({ 'Retry-After': '2' });
    }
    expect(() => assertAttemptAllowed(failTimes(100, 'password'), 'code', t0)).toThrow(
      expect.objectContaining({ code: 'EKEY_LOCKED' }),
    );
    expect(() => assertAttemptAllowed(NO_FAILURES, 'password', t0)).not.toThrow();
  });
});
