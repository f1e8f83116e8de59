/**
 * Authentication context classes of eKey: the identity level (standard: online
 * registration; advanced: checked in person) and whether two factors were used.
 */
export const ACR_VALUES = [
  'urn:bh:ekey:standard:1fa',
  'urn:bh:ekey:standard:2fa',
  'urn:bh:ekey:advanced:1fa',
  'urn:bh:ekey:advanced:2fa',
] as const;
export type Acr = (typeof ACR_VALUES)[number];

/** What was actually achieved: never more than the level and the methods used. */
export function achievedAcr(level: 'standard' | 'advanced', amr: readonly string[]): Acr {
  return `urn:bh:ekey:${level}:${amr.includes('mfa') ? '2fa' : '1fa'}`;
}

/** `acr_values` asks for two factors when every value it lists is a 2fa class. */
export function requestedTwoFactors(acrValues: unknown): boolean {
  if (typeof acrValues !== 'string' || !acrValues.trim()) return false;
  const values = acrValues.trim().split(/\s+/);
  return values.every((v) => v.endsWith(':2fa'));
}
