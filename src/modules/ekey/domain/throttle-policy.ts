/**
 * Online-guessing limits (NIST SP 800-63B-4 §3.2.2): the first few mistakes are free, then
 * each further failure doubles the wait, and 100 consecutive failures lock the account
 * until the service desk unlocks it. Password and second-factor failures are counted
 * apart so a thief holding the password cannot reset the code counter, and vice versa.
 */
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { EkeyErrors } from '../errors/ekey.errors.js';

export type FailureKind = 'password' | 'code';

/** Consecutive failures of one kind and when the last one happened. */
export interface FailureRun {
  count: number;
  lastAt?: Date;
}

export type ThrottleState = Readonly<Record<FailureKind, FailureRun>>;

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; locked: false; retryAfterSeconds: number }
  | { allowed: false; locked: true };

export const FREE_FAILURES = 3;
export const MAX_DELAY_SECONDS = 15 * 60;
export const LOCK_AFTER_FAILURES = 100;

export const NO_FAILURES: ThrottleState = Object.freeze({
  password: { count: 0 },
  code: { count: 0 },
});

/** Wait imposed after `failures` consecutive failures: 0, 0, 0, then 1 s, 2 s, 4 s … capped at 15 min. */
export function delayAfterFailures(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_SECONDS);
}

export function isLocked(state: ThrottleState): boolean {
  return state.password.count >= LOCK_AFTER_FAILURES || state.code.count >= LOCK_AFTER_FAILURES;
}

/** May an attempt of this kind be judged now? Ask before checking the password or code. */
export function decideAttempt(
  state: ThrottleState,
  kind: FailureKind,
  now: Date,
): ThrottleDecision {
  if (isLocked(state)) return { allowed: false, locked: true };
  const run = state[kind];
  const delayMs = delayAfterFailures(run.count) * 1000;
  if (delayMs === 0 || !run.lastAt) return { allowed: true };
  const waitMs = run.lastAt.getTime() + delayMs - now.getTime();
  return waitMs > 0
    ? { allowed: false, locked: false, retryAfterSeconds: Math.ceil(waitMs / 1000) }
    : { allowed: true };
}

export function recordFailure(state: ThrottleState, kind: FailureKind, now: Date): ThrottleState {
  return { ...state, [kind]: { count: state[kind].count + 1, lastAt: now } };
}

/** A success ends the run of failures of that kind only. */
export function recordSuccess(state: ThrottleState, kind: FailureKind): ThrottleState {
  return { ...state, [kind]: { count: 0 } };
}

/** Throws EKEY_LOCKED, or EKEY_THROTTLED with `retryAfter` and a Retry-After header. */
export function assertAttemptAllowed(state: ThrottleState, kind: FailureKind, now: Date): void {
  const decision = decideAttempt(state, kind, now);
  if (decision.allowed) return;
  if (decision.locked) throw new DomainException(EkeyErrors.LOCKED);
  const retryAfter = decision.retryAfterSeconds;
  throw new DomainException(
    EkeyErrors.THROTTLED,
    undefined,
    [],
    { retryAfter },
    { 'Retry-After': String(retryAfter) },
  );
}
