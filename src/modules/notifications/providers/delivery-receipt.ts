/**
 * SMPP delivery receipts. SMSCs put the outcome in the de-facto text format of SMPP 3.4
 * Appendix B (`id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:…`), and the
 * better ones also in the `receipted_message_id` / `message_state` TLVs, which are exact:
 * the TLVs win when both are present.
 */
export type ReceiptStat =
  'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD' | 'ENROUTE';

export interface DeliveryReceipt {
  smscId: string;
  /** The id the SMSC gave in submit_sm_resp. */
  messageId: string;
  stat: ReceiptStat;
  /** Network error code from the text, when given (`000` means none). */
  err?: string;
  submitDate?: string;
  doneDate?: string;
  /** The receipt text as received, for the audit trail. */
  raw: string;
}

const STATS: readonly ReceiptStat[] = [
  'DELIVRD',
  'EXPIRED',
  'DELETED',
  'UNDELIV',
  'ACCEPTD',
  'UNKNOWN',
  'REJECTD',
  'ENROUTE',
];

/** SMPP 5.0 §4.7.15 message_state values. */
const STAT_BY_MESSAGE_STATE: Readonly<Record<number, ReceiptStat>> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

const FIELD = /\b(id|sub|dlvrd|submit date|done date|stat|err):(\S*)/gi;

/** Reads a receipt; undefined when neither the text nor the TLVs give an id and a state. */
export function parseDeliveryReceipt(
  smscId: string,
  raw: string,
  tlvs: { receiptedMessageId?: string; messageState?: number } = {},
): DeliveryReceipt | undefined {
  const fields = new Map<string, string>();
  for (const [, key, value] of raw.matchAll(FIELD)) fields.set(key.toLowerCase(), value);

  const messageId = tlvs.receiptedMessageId || fields.get('id');
  const textStat = fields.get('stat')?.toUpperCase();
  const stat =
    (tlvs.messageState !== undefined ? STAT_BY_MESSAGE_STATE[tlvs.messageState] : undefined) ??
    STATS.find((known) => known === textStat);
  if (!messageId || !stat) return undefined;

  return {
    smscId,
    messageId,
    stat,
    err: fields.get('err'),
    submitDate: fields.get('submit date'),
    doneDate: fields.get('done date'),
    raw,
  };
}
