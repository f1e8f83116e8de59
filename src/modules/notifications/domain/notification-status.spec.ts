import { describe, expect, it } from '@jest/globals';
import {
  canMove,
  LANE_PRIORITY,
  NOTIFICATION_STATUSES,
  retryDelayMs,
  statusForReceipt,
} from './notification-status.js';

describe('notification status', () => {
  it('moves only forward along the documented paths', () => {
    expect(canMove('accepted', 'queued')).toBe(true);
    expect(canMove('queued', 'sending')).toBe(true);
    expect(canMove('sending', 'sent')).toBe(true);
    expect(canMove('sent', 'delivered')).toBe(true);
    expect(canMove('temporary_failure', 'sending')).toBe(true);
    expect(canMove('delivered', 'sent')).toBe(false);
    expect(canMove('sent', 'sending')).toBe(false);
    expect(canMove('permanent_failure', 'sending')).toBe(false);
    expect(canMove('cancelled', 'queued')).toBe(false);
    expect(canMove('sending', 'cancelled')).toBe(false);
  });

  it('never leaves a final status', () => {
    for (const final of [
      'delivered',
      'permanent_failure',
      'technical_failure',
      'cancelled',
    ] as const)
      for (const to of NOTIFICATION_STATUSES) expect(canMove(final, to)).toBe(false);
  });

  it('maps SMPP receipts to statuses', () => {
    expect(statusForReceipt('DELIVRD')).toBe('delivered');
    expect(statusForReceipt('UNDELIV')).toBe('permanent_failure');
    expect(statusForReceipt('REJECTD')).toBe('permanent_failure');
    expect(statusForReceipt('EXPIRED')).toBe('temporary_failure');
    expect(statusForReceipt('ENROUTE')).toBeUndefined();
  });

  it('serves one-time passwords before transactional before bulk', () => {
    expect(LANE_PRIORITY.otp).toBeLessThan(LANE_PRIORITY.transactional);
    expect(LANE_PRIORITY.transactional).toBeLessThan(LANE_PRIORITY.bulk);
  });

  it('doubles the retry delay and caps it', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(1000, n))).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs(1000, 40)).toBe(6 * 3600_000);
  });
});
