import { describe, expect, it } from '@jest/globals';
import { achievedAcr, requestedTwoFactors } from './acr.js';

describe('acr', () => {
  it('names the level and the number of factors actually used', () => {
    expect(achievedAcr('standard', ['pwd'])).toBe('urn:bh:ekey:standard:1fa');
    expect(achievedAcr('standard', ['pwd', 'otp', 'mfa'])).toBe('urn:bh:ekey:standard:2fa');
    expect(achievedAcr('advanced', ['pwd', 'sms', 'mfa'])).toBe('urn:bh:ekey:advanced:2fa');
    // A second method without "mfa" is not counted as two factors.
    expect(achievedAcr('advanced', ['pwd', 'otp'])).toBe('urn:bh:ekey:advanced:1fa');
  });

  it('asks for two factors only when every requested class is a 2fa class', () => {
    expect(requestedTwoFactors('urn:bh:ekey:standard:2fa urn:bh:ekey:advanced:2fa')).toBe(true);
    expect(requestedTwoFactors('urn:bh:ekey:standard:1fa urn:bh:ekey:standard:2fa')).toBe(false);
    expect(requestedTwoFactors('')).toBe(false);
    expect(requestedTwoFactors(undefined)).toBe(false);
    expect(requestedTwoFactors(['urn:bh:ekey:standard:2fa'])).toBe(false);
  });
});
