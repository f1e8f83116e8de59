import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PreferenceService } from '../../src/modules/notify/services/preference.service.js';
import { SendLimitsService } from '../../src/modules/notify/services/send-limits.service.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

describe("citizens' preferences and sending limits", () => {
  let t: TestApp;
  let sut: PreferenceService;
  let agencyId: string;
  let otherAgencyId: string;
  beforeAll(async () => {
    t = await startTestApp({ NOTIFY_DAILY_SMS_CAP: '3', NOTIFY_RATE_LIMIT_PER_MINUTE: '2' });
    sut = t.get(PreferenceService);
    agencyId = (await makeAgency(t, { nameAr: 'وزارة الإسكان', nameEn: 'Ministry of Housing' })).id;
    otherAgencyId = (await makeAgency(t)).id;
  });
  afterAll(() => t.close());

  it('stops non-critical notices after an opt-out, for that agency and channel only', async () => {
    const citizen = { sms: '+97336000001' };
    await sut.optOut(t.admin, citizen, agencyId, 'sms', 'citizen_portal');
    expect(await sut.mayReceive([citizen], agencyId, 'sms', false)).toBe(false);
    expect(await sut.mayReceive([citizen], agencyId, 'email', false)).toBe(true);
    expect(await sut.mayReceive([citizen], otherAgencyId, 'sms', false)).toBe(true);
  });

  it('always delivers critical legal notices', async () => {
    const citizen = { email: 'opted.out@example.bh' };
    await sut.optOut(t.admin, citizen, agencyId, 'email', 'citizen_portal');
    expect(await sut.mayReceive([citizen], agencyId, 'email', true)).toBe(true);
  });

  it('matches an opt-out made through the eKey account or the address alike', async () => {
    await sut.optOut(t.admin, { ekeyAccountId: 'acc-1' }, agencyId, 'sms', 'citizen_portal');
    expect(
      await sut.mayReceive(
        [{ sms: '+97336999999' }, { ekeyAccountId: 'acc-1' }],
        agencyId,
        'sms',
        false,
      ),
    ).toBe(false);
  });

  it('keeps no contact data, only keyed hashes', async () => {
    const rows = await t.db.query<{ subject_hash: string }>(
      'SELECT subject_hash FROM notification_opt_out',
    );
    expect(JSON.stringify(rows)).not.toMatch(/97336|example\.bh|acc-1/);
  });

  it('unsubscribes through a signed one-click link, and refuses a forged one', async () => {
    const citizen = { email: 'one.click@example.bh' };
    const url = sut.unsubscribeUrl(citizen, agencyId, 'email');
    const path = new URL(url).pathname;
    const page = await t.http().get(path).expect(200);
    expect(page.text).toContain('dir="rtl"');
    expect(page.text).toContain('وزارة الإسكان');
    expect(await sut.mayReceive([citizen], agencyId, 'email', false)).toBe(true);
    await t.http().post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await sut.mayReceive([citizen], agencyId, 'email', false)).toBe(false);
    await t.http().post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const forged = path.replace(/\.[^.]+$/, '.AAAA');
    const res = await t.http().post(forged).expect(400);
    expect(res.body.code).toBe('NOTIFY_UNSUBSCRIBE_LINK_INVALID');
  });

  it('caps SMS per e-service per day and answers 429 with the time until midnight', async () => {
    const limits = t.get(SendLimitsService);
    await limits.takeDaily('client-a', 'sms', 2);
    await limits.takeDaily('client-a', 'sms', 1);
    await expect(limits.takeDaily('client-a', 'sms', 1)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    // The refused message did not use up anything, and another e-service has its own cap.
    await limits.takeDaily('client-b', 'sms', 3);
    await limits.takeDaily('client-a', 'email', 1);
  });

  it('limits requests per minute per e-service', async () => {
    const limits = t.get(SendLimitsService);
    await limits.checkRequest('client-c');
    await limits.checkRequest('client-c');
    let error: { code?: string; headers?: Record<string, string> } = {};
    try {
      await limits.checkRequest('client-c');
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe('RATE_LIMITED');
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThan(0);
  });
});
