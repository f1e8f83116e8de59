import type { ReceiptStat } from '../providers/delivery-receipt.js';

/**
 * The life of a notification. Status only moves forward; every move is a conditional
 * UPDATE whose WHERE clause names the allowed predecessors (`PREDECESSORS`), so a late
 * worker, a replayed job or a duplicate receipt cannot move it back.
 */
export const NOTIFICATION_CHANNELS = ['sms', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_PRIORITIES = ['otp', 'transactional', 'bulk'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

export const NOTIFICATION_STATUSES = [
  'accepted',
  'queued',
  'sending',
  'sent',
  'delivered',
  'temporary_failure',
  'permanent_failure',
  'technical_failure',
  'cancelled',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Statuses a notification may be in just before moving to the key. */
export const PREDECESSORS: Readonly<Record<NotificationStatus, readonly NotificationStatus[]>> = {
  accepted: [],
  queued: ['accepted'],
  sending: ['accepted', 'queued', 'temporary_failure'],
  sent: ['sending'],
  delivered: ['sent'],
  // From `sending` (provider said "later") or `sent` (receipt: expired, phone off).
  temporary_failure: ['sending', 'sent'],
  permanent_failure: ['sending', 'sent', 'temporary_failure'],
  technical_failure: ['accepted', 'queued', 'sending', 'temporary_failure'],
  cancelled: ['accepted', 'queued', 'temporary_failure'],
};

export const FINAL_STATUSES: readonly NotificationStatus[] = [
  'delivered',
  'permanent_failure',
  'technical_failure',
  'cancelled',
];

export function canMove(from: NotificationStatus, to: NotificationStatus): boolean {
  return PREDECESSORS[to].includes(from);
}

/** Bull priority per lane: one-time passwords first, bulk last. */
export const LANE_PRIORITY: Readonly<Record<NotificationPriority, number>> = {
  otp: 1,
  transactional: 5,
  bulk: 10,
};

/** What a receipt means for the notification; undefined: informative only (en route, accepted). */
export function statusForReceipt(stat: ReceiptStat): NotificationStatus | undefined {
  switch (stat) {
    case 'DELIVRD':
      return 'delivered';
    case 'UNDELIV':
    case 'REJECTD':
    case 'DELETED':
      return 'permanent_failure';
    case 'EXPIRED':
    case 'UNKNOWN':
      return 'temporary_failure';
    case 'ACCEPTD':
    case 'ENROUTE':
      return undefined;
  }
}

/** Retry delay after the n-th failed attempt (1-based): base × 2^(n-1), capped at 6 h. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  return Math.min(6 * 3600_000, baseMs * 2 ** Math.max(0, attempt - 1));
}
