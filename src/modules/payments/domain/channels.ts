/**
 * The vocabulary of payment statistics: channels, kinds and statuses, with the labels exports and
 * the back office show. `electronic` drives the headline "share of value paid electronically".
 */

export interface Labelled {
  readonly en: string;
  readonly ar: string;
}

export interface ChannelDefinition extends Labelled {
  /** Paid without a person handling it at a government desk. */
  readonly electronic: boolean;
}

export const PAYMENT_CHANNELS = {
  web: { electronic: true, en: 'National portal (web)', ar: 'البوابة الوطنية' },
  mobile: { electronic: true, en: 'Mobile app', ar: 'تطبيق الهاتف' },
  kiosk: { electronic: true, en: 'Self-service kiosk', ar: 'أجهزة الخدمة الذاتية' },
  gateway: { electronic: true, en: 'Payment gateway (agency site)', ar: 'بوابة الدفع الإلكتروني' },
  bank_transfer: { electronic: true, en: 'Bank transfer', ar: 'تحويل بنكي' },
  counter: { electronic: false, en: 'Service centre counter', ar: 'مكتب خدمة العملاء' },
  cash_office: { electronic: false, en: 'Cash collection office', ar: 'مكتب التحصيل النقدي' },
  cheque: { electronic: false, en: 'Cheque', ar: 'شيك' },
} as const satisfies Record<string, ChannelDefinition>;

export type PaymentChannel = keyof typeof PAYMENT_CHANNELS;
export const PAYMENT_CHANNEL_CODES = Object.keys(PAYMENT_CHANNELS) as PaymentChannel[];
export const ELECTRONIC_CHANNELS = PAYMENT_CHANNEL_CODES.filter(
  (c) => PAYMENT_CHANNELS[c].electronic,
);

export function isElectronic(channel: PaymentChannel): boolean {
  return PAYMENT_CHANNELS[channel].electronic;
}

/** Sign in net totals: refunds and reversals give money back, so they reduce net. */
export const TRANSACTION_KINDS = {
  payment: { sign: 1n, en: 'Payment', ar: 'دفعة' },
  refund: { sign: -1n, en: 'Refund', ar: 'استرداد' },
  reversal: { sign: -1n, en: 'Reversal', ar: 'عكس العملية' },
} as const satisfies Record<string, Labelled & { sign: bigint }>;

export type TransactionKind = keyof typeof TRANSACTION_KINDS;
export const TRANSACTION_KIND_CODES = Object.keys(TRANSACTION_KINDS) as TransactionKind[];

/** Kinds that undo an earlier payment and so must name it in `originalRef`. */
export function needsOriginal(kind: TransactionKind): boolean {
  return kind !== 'payment';
}

/** Contribution of an amount to net totals: +amount for a payment, -amount for a refund or reversal. */
export function signedAmount(kind: TransactionKind, amountFils: bigint): bigint {
  return TRANSACTION_KINDS[kind].sign * amountFils;
}

export const TRANSACTION_STATUSES = {
  pending: { final: false, en: 'Pending', ar: 'قيد المعالجة' },
  succeeded: { final: true, en: 'Succeeded', ar: 'ناجحة' },
  failed: { final: true, en: 'Failed', ar: 'فاشلة' },
  cancelled: { final: true, en: 'Cancelled', ar: 'ملغاة' },
} as const satisfies Record<string, Labelled & { final: boolean }>;

export type TransactionStatus = keyof typeof TRANSACTION_STATUSES;
export const TRANSACTION_STATUS_CODES = Object.keys(TRANSACTION_STATUSES) as TransactionStatus[];

/** Only pending moves; a settled result is never rewritten (a mistake is undone by a reversal). */
const TRANSITIONS: Record<TransactionStatus, readonly TransactionStatus[]> = {
  pending: ['succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: TransactionStatus, to: TransactionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Only money that actually moved counts in revenue figures. */
export function countsInRevenue(status: TransactionStatus): boolean {
  return status === 'succeeded';
}
