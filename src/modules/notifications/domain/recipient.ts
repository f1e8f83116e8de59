import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import type { NotificationChannel } from './notification-status.js';

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]{2,}$/;

/**
 * The canonical form of a recipient, or null when it cannot be one: E.164 for a mobile
 * (local Bahraini numbers accepted), lower-case for an email address. The canonical form is
 * what gets encrypted and hashed, so the same person always gives the same look-up hash.
 * Parsed with the mobile-only metadata: a fixed line is not valid at all, and parsing is
 * several times cheaper than with the full metadata (this runs once per notification).
 */
export function normaliseRecipient(channel: NotificationChannel, to: string): string | null {
  const raw = (to ?? '').trim();
  if (channel === 'sms') {
    const phone = parsePhoneNumberFromString(raw, 'BH');
    if (!phone) return null;
    // Where the metadata has number types, a number is valid exactly when it has a type
    // (that is what `isValid()` checks), so one look-up answers both questions.
    const type = phone.getType();
    if (type === undefined) return phone.isValid() ? phone.number : null;
    return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? phone.number : null;
  }
  if (raw.length > 254 || !EMAIL.test(raw)) return null;
  return raw.toLowerCase();
}

/** For logs and the back office: enough to recognise, not enough to use. */
export function maskRecipient(value: string): string {
  if (value.includes('@')) {
    const [local, domain] = value.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return `${value.slice(0, 4)}****${value.slice(-2)}`;
}
