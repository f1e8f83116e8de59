import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock } from '../../src/platform/clock.js';
import { PasswordHasher } from '../../src/platform/crypto/password-hasher.js';
import { DomainException } from '../../src/platform/errors/domain-exception.js';
import type { Actor } from '../../src/platform/auth/roles.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { totpCode } from '../../src/modules/ekey/domain/totp.js';
import { ekeyPepper } from '../../src/modules/ekey/ekey.tokens.js';
import {
  EkeyAccountService,
  type RegistrationInput,
} from '../../src/modules/ekey/services/ekey-account.service.js';
import { EkeyDemoSeeder } from '../../src/modules/ekey/services/ekey-demo-seeder.js';
import { EkeyDirectory } from '../../src/modules/ekey/services/ekey-directory.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { EkeySessionService } from '../../src/modules/ekey/services/ekey-session.service.js';
import { EkeySignInService } from '../../src/modules/ekey/services/ekey-sign-in.service.js';
import { EkeyStatsService } from '../../src/modules/ekey/services/ekey-stats.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainException) return e.code;
    throw e;
  }
  return 'no error';
};

/**
 * All at once on PostgreSQL. On the embedded PGlite one after another: its socket server
 * interleaves the extended-protocol messages of concurrent connections (reported as a
 * platform issue), and it runs one query at a time anyway.
 */
const together = <T>(tasks: (() => Promise<T>)[]): Promise<T[]> =>
  process.env.DATABASE_URL
    ? Promise.all(tasks.map((f) => f()))
    : tasks.reduce<Promise<T[]>>(
        async (acc, f) => [...(await acc), await f()],
        Promise.resolve([]),
      );

const PASSWORD = 'rose garden at sunset 1971';
let cprSeq = 100_000;
let mobileSeq = 1000;
/** A fresh person: unique CPR and Batelco-range mobile. */
function person(overrides: Partial<RegistrationInput> = {}): RegistrationInput {
  cprSeq += 1;
  mobileSeq += 1;
  return {
    cpr: `850${cprSeq}`,
    nameAr: 'مريم عيسى',
    nameEn: 'Maryam Isa',
    nationality: 'BH',
    residency: 'citizen',
    dateOfBirth: '1985-01-12',
    mobile: `+9733600${mobileSeq}`,
    email: `maryam${mobileSeq}@example.bh`,
    password: PASSWORD,
    ...overrides,
  };
}

describe('eKey accounts, sign-in and statistics', () => {
  let t: TestApp;
  let accounts: EkeyAccountService;
  let signIns: EkeySignInService;
  let outbox: RecordingEkeyTransport;
  let clock: Clock;
  let now: Date;
  const passwordsSeen: string[] = [PASSWORD];
  const cprsSeen: string[] = [];
  const codesSeen: string[] = [];

  async function registerActive(overrides: Partial<RegistrationInput> = {}) {
    const p = person(overrides);
    cprsSeen.push(p.cpr);
    const { accountId } = await accounts.register(p);
    const code = outbox.lastCodeTo(p.mobile);
    codesSeen.push(code);
    await accounts.verifyMobile(accountId, code);
    return { ...p, accountId };
  }
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  beforeAll(async () => {
    // A high per-address budget here: the address limit has its own e2e test.
    t = await startTestApp({ EKEY_SIGN_IN_PER_IP_PER_MINUTE: '100000' });
    accounts = t.get(EkeyAccountService);
    signIns = t.get(EkeySignInService);
    outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
    clock = t.get(Clock);
    now = new Date();
    clock.now = () => now;
  });
  afterAll(() => t.close());

  describe('registration', () => {
    it('keeps the account pending until the SMS code is confirmed, and stores the CPR only encrypted', async () => {
      const p = person();
      cprsSeen.push(p.cpr);
      const { accountId } = await accounts.register(p);
      const [row] = await t.db.query<Record<string, string>>(
        'SELECT * FROM ekey_account WHERE id = $1',
        [accountId],
      );
      expect(row.status).toBe('pending');
      expect(JSON.stringify(row)).not.toContain(p.cpr);
      expect(JSON.stringify(row)).not.toContain(p.mobile);
      expect(row.cpr_last3).toBe(p.cpr.slice(-3));
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await t.get(EkeyDirectory).contactFor(accountId)).toBeNull();

      const code = outbox.lastCodeTo(p.mobile);
      codesSeen.push(code);
      expect(outbox.lastTo(p.mobile)?.priority).toBe('otp');
      await accounts.verifyMobile(accountId, code);
      const [after] = await t.db.query<{ status: string; activated_at: Date }>(
        'SELECT status, activated_at FROM ekey_account WHERE id = $1',
        [accountId],
      );
      expect(after.status).toBe('active');
      expect(after.activated_at).not.toBeNull();
      // The code is used once.
      expect(await codeOf(accounts.verifyMobile(accountId, code))).toBe('EKEY_NOT_PENDING');
    });

    it('allows five guesses per code, then even the right code is refused until a new one is sent', async () => {
      const p = person();
      const { accountId } = await accounts.register(p);
      const code = outbox.lastCodeTo(p.mobile);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++)
        expect(await codeOf(accounts.verifyMobile(accountId, wrong))).toBe('EKEY_CODE_INVALID');
      expect(await codeOf(accounts.verifyMobile(accountId, wrong))).toBe(
        'EKEY_CODE_ATTEMPTS_EXHAUSTED',
      );
      expect(await codeOf(accounts.verifyMobile(accountId, code))).toBe(
        'EKEY_CODE_ATTEMPTS_EXHAUSTED',
      );
      await accounts.resendMobileCode(accountId);
      const fresh = outbox.lastCodeTo(p.mobile);
      expect(await codeOf(accounts.verifyMobile(accountId, fresh))).toBe('no error');
    });

    it('refuses parallel guesses beyond five', async () => {
      const p = person();
      const { accountId } = await accounts.register(p);
      const code = outbox.lastCodeTo(p.mobile);
      const wrong = code === '999999' ? '888888' : '999999';
      const results = await together(
        Array.from({ length: 12 }, () => () => codeOf(accounts.verifyMobile(accountId, wrong))),
      );
      expect(results.filter((r) => r === 'EKEY_CODE_INVALID').length).toBeLessThanOrEqual(4);
      const [row] = await t.db.query<{ attempts: number }>(
        'SELECT attempts FROM ekey_challenge WHERE account_id = $1',
        [accountId],
      );
      expect(row.attempts).toBe(5);
      expect(await codeOf(accounts.verifyMobile(accountId, code))).toBe(
        'EKEY_CODE_ATTEMPTS_EXHAUSTED',
      );
    });

    it('refuses an expired code', async () => {
      const p = person();
      const { accountId } = await accounts.register(p);
      advance(5 * 60_000 + 1000);
      expect(await codeOf(accounts.verifyMobile(accountId, outbox.lastCodeTo(p.mobile)))).toBe(
        'EKEY_CODE_EXPIRED',
      );
    });

    it('gives one active eKey per CPR, even when two pending registrations are confirmed at once', async () => {
      const p = person();
      const a = await accounts.register(p);
      const codeA = outbox.lastCodeTo(p.mobile);
      const b = await accounts.register({ ...p, mobile: `+9733900${mobileSeq}` });
      const codeB = outbox.lastCodeTo(`+9733900${mobileSeq}`);
      const results = await together([
        () => codeOf(accounts.verifyMobile(a.accountId, codeA)),
        () => codeOf(accounts.verifyMobile(b.accountId, codeB)),
      ]);
      expect(results.sort()).toEqual(['EKEY_ALREADY_REGISTERED', 'no error']);
      expect(await codeOf(accounts.register(p))).toBe('EKEY_ALREADY_REGISTERED');
    });

    it('refuses short, common and guessable passwords, and bad CPR or mobile numbers', async () => {
      expect(await codeOf(accounts.register(person({ password: 'short pass' })))).toBe(
        'EKEY_PASSWORD_TOO_SHORT',
      );
      expect(await codeOf(accounts.register(person({ password: 'passwordpassword' })))).toBe(
        'EKEY_PASSWORD_COMMON',
      );
      const p = person();
      expect(await codeOf(accounts.register({ ...p, password: `my number ${p.cpr} ok` }))).toBe(
        'EKEY_PASSWORD_CONTAINS_CONTEXT',
      );
      expect(await codeOf(accounts.register(person({ cpr: '12345' })))).toBe('EKEY_INVALID_CPR');
      expect(await codeOf(accounts.register(person({ mobile: '+97317001234' })))).toBe(
        'EKEY_INVALID_MOBILE',
      );
    });
  });

  describe('identity level', () => {
    let operator: Actor;
    beforeAll(async () => {
      const staff = await t.get(StaffService).create(t.admin, {
        email: 'operator@ekey.gov.bh',
        name: 'Service centre operator',
        role: 'operator',
        password: 'operator pass phrase 1',
      });
      operator = {
        type: 'staff',
        id: staff.id,
        label: 'operator@ekey.gov.bh',
        role: 'operator',
        agencyId: null,
      };
    });

    it('is raised to advanced by an operator with the evidence reference, audited', async () => {
      const a = await registerActive();
      await accounts.recordAdvancedIdentity(operator, a.accountId, {
        evidenceRef: 'SC-ISA-2026-00042',
        channel: 'service_centre',
      });
      const [row] = await t.db.query<{ level: string; level_evidence_ref: string }>(
        'SELECT level, level_evidence_ref FROM ekey_account WHERE id = $1',
        [a.accountId],
      );
      expect(row).toEqual({ level: 'advanced', level_evidence_ref: 'SC-ISA-2026-00042' });
      const [audit] = await t.db.query<{ actor_id: string; details: Record<string, string> }>(
        "SELECT actor_id, details FROM audit_event WHERE action = 'ekey.account.level.advanced' AND object_id = $1",
        [a.accountId],
      );
      expect(audit.actor_id).toBe(operator.id);
      expect(audit.details.evidenceRef).toBe('SC-ISA-2026-00042');
    });

    it('refuses other roles, a missing evidence reference and a pending account', async () => {
      const a = await registerActive();
      const input = { evidenceRef: 'SC-1-2026', channel: 'kiosk' as const };
      expect(await codeOf(accounts.recordAdvancedIdentity(t.admin, a.accountId, input))).toBe(
        'FORBIDDEN',
      );
      expect(
        await codeOf(
          accounts.recordAdvancedIdentity(operator, a.accountId, { ...input, evidenceRef: ' ' }),
        ),
      ).toBe('EKEY_INVALID_EVIDENCE');
      const pending = await accounts.register(person());
      expect(
        await codeOf(accounts.recordAdvancedIdentity(operator, pending.accountId, input)),
      ).toBe('EKEY_ACCOUNT_NOT_FOUND');
    });
  });

  describe('sign-in', () => {
    it('rehashes a password stored with old parameters at the next sign-in', async () => {
      const a = await registerActive();
      const old = new PasswordHasher({
        memoryCost: 4096,
        timeCost: 1,
        pepper: ekeyPepper(t.diwan.config),
      });
      await t.db.query('UPDATE ekey_account SET password_hash = $2 WHERE id = $1', [
        a.accountId,
        await old.hash(PASSWORD),
      ]);
      expect((await signIns.signIn({ cpr: a.cpr, password: PASSWORD })).stage).toBe('active');
      const [row] = await t.db.query<{ password_hash: string }>(
        'SELECT password_hash FROM ekey_account WHERE id = $1',
        [a.accountId],
      );
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('lets the first three failures go, then makes the caller wait longer each time', async () => {
      const a = await registerActive();
      for (let i = 0; i < 3; i++)
        expect(
          await codeOf(signIns.signIn({ cpr: a.cpr, password: `wrong ${i} password!!` })),
        ).toBe('EKEY_INVALID_CREDENTIALS');
      expect(await codeOf(signIns.signIn({ cpr: a.cpr, password: 'wrong 4 password!!' }))).toBe(
        'EKEY_INVALID_CREDENTIALS',
      );
      // 4 failures: 1 s wait, even for the right password.
      const err = await signIns.signIn({ cpr: a.cpr, password: PASSWORD }).catch((e: unknown) => e);
      expect((err as DomainException).code).toBe('EKEY_THROTTLED');
      expect((err as DomainException).headers['Retry-After']).toBe('1');
      advance(1000);
      expect(await codeOf(signIns.signIn({ cpr: a.cpr, password: 'wrong 5 password!!' }))).toBe(
        'EKEY_INVALID_CREDENTIALS',
      );
      const err2 = await signIns
        .signIn({ cpr: a.cpr, password: PASSWORD })
        .catch((e: unknown) => e);
      expect((err2 as DomainException).headers['Retry-After']).toBe('2');
      advance(2000);
      expect((await signIns.signIn({ cpr: a.cpr, password: PASSWORD })).stage).toBe('active');
    });

    it('throttles an unknown CPR exactly like a known one', async () => {
      const unknown = person().cpr;
      for (let i = 0; i < 4; i++)
        expect(await codeOf(signIns.signIn({ cpr: unknown, password: PASSWORD }))).toBe(
          'EKEY_INVALID_CREDENTIALS',
        );
      expect(await codeOf(signIns.signIn({ cpr: unknown, password: PASSWORD }))).toBe(
        'EKEY_THROTTLED',
      );
    });

    it('locks after 100 consecutive failures: the right password is refused with the same error', async () => {
      const a = await registerActive();
      for (let i = 0; i < 100; i++) {
        advance(16 * 60_000); // past the longest delay
        expect(await codeOf(signIns.signIn({ cpr: a.cpr, password: `guess number ${i}!` }))).toBe(
          'EKEY_INVALID_CREDENTIALS',
        );
      }
      advance(16 * 60_000);
      expect(await codeOf(signIns.signIn({ cpr: a.cpr, password: PASSWORD }))).toBe(
        'EKEY_INVALID_CREDENTIALS',
      );
      expect(await signIns.isLocked(a.cpr)).toBe(true);
      expect(outbox.lastTo(a.mobile)?.reference).toBe('ekey.alert.locked');
      const [audit] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_event WHERE action = 'ekey.account.locked' AND object_id = $1",
        [a.accountId],
      );
      expect(audit.n).toBe(1);
    }, 120_000);
  });

  describe('second factors', () => {
    async function withTotp() {
      const a = await registerActive();
      const { secret } = await accounts.startTotp(a.accountId);
      const backupCodes = await accounts.confirmTotp(a.accountId, await totpCode(secret, now));
      codesSeen.push(...backupCodes);
      return { ...a, secret, backupCodes };
    }

    it('asks for the second factor once an authenticator is set up, and refuses a replayed TOTP code', async () => {
      const a = await withTotp();
      advance(30_000);
      const code = await totpCode(a.secret, now);
      codesSeen.push(code);
      const first = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      expect(first.stage).toBe('second_factor');
      expect(first.methods).toEqual(['totp', 'backup_code', 'sms']);
      const done = await signIns.completeSecondFactor(first.token, { method: 'totp', code });
      expect(done.stage).toBe('active');
      expect(done.token).not.toBe(first.token);
      const again = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      expect(
        await codeOf(signIns.completeSecondFactor(again.token, { method: 'totp', code })),
      ).toBe('EKEY_CODE_INVALID');
    });

    it('lets only one of two simultaneous sign-ins use the same TOTP code', async () => {
      const a = await withTotp();
      advance(30_000);
      const code = await totpCode(a.secret, now);
      const [s1, s2] = await together([
        () => signIns.signIn({ cpr: a.cpr, password: PASSWORD }),
        () => signIns.signIn({ cpr: a.cpr, password: PASSWORD }),
      ]);
      const results = await together([
        () => codeOf(signIns.completeSecondFactor(s1.token, { method: 'totp', code })),
        () => codeOf(signIns.completeSecondFactor(s2.token, { method: 'totp', code })),
      ]);
      expect(results.sort()).toEqual(['EKEY_CODE_INVALID', 'no error']);
    });

    it('accepts a backup code once, even under 20 concurrent attempts', async () => {
      const a = await withTotp();
      const pendings = await together(
        Array.from({ length: 20 }, () => () => signIns.signIn({ cpr: a.cpr, password: PASSWORD })),
      );
      const results = await together(
        pendings.map(
          (p) => () =>
            codeOf(
              signIns.completeSecondFactor(p.token, {
                method: 'backup_code',
                code: a.backupCodes[0],
              }),
            ),
        ),
      );
      expect(results.filter((r) => r === 'no error')).toHaveLength(1);
      // The others are refused (wrong code, or held back by the code-failure delay).
      expect(
        results.filter((r) => r === 'EKEY_CODE_INVALID' || r === 'EKEY_THROTTLED'),
      ).toHaveLength(19);
      const [row] = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ekey_backup_code WHERE account_id = $1 AND used_at IS NULL',
        [a.accountId],
      );
      expect(row.n).toBe(9);
    });

    it('counts code failures apart: they do not slow down or lock the password step', async () => {
      const a = await withTotp();
      const pending = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      for (let i = 0; i < 4; i++)
        await codeOf(
          signIns.completeSecondFactor(pending.token, { method: 'totp', code: '000000' }),
        );
      expect(
        await codeOf(
          signIns.completeSecondFactor(pending.token, { method: 'totp', code: '000000' }),
        ),
      ).toBe('EKEY_THROTTLED');
      // The password step is not throttled by the code failures.
      const next = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      expect(next.stage).toBe('second_factor');
      // And password failures do not reset or block the code counter's own rules.
      advance(1000);
      const ok = await signIns.completeSecondFactor(next.token, {
        method: 'backup_code',
        code: a.backupCodes[1],
      });
      expect(ok.stage).toBe('active');
    });

    it('uses an SMS code as the weaker second factor when the e-service asks for two factors', async () => {
      const a = await registerActive();
      const pending = await signIns.signIn({
        cpr: a.cpr,
        password: PASSWORD,
        requireSecondFactor: true,
      });
      expect(pending.methods).toEqual(['sms']);
      expect(
        await codeOf(
          signIns.completeSecondFactor(pending.token, { method: 'totp', code: '123456' }),
        ),
      ).toBe('EKEY_SECOND_FACTOR_UNAVAILABLE');
      await signIns.sendSmsCode(pending.token);
      const code = outbox.lastCodeTo(a.mobile);
      codesSeen.push(code);
      const done = await signIns.completeSecondFactor(pending.token, { method: 'sms', code });
      const session = await t.get(EkeySessionService).resolve(done.token, 'active');
      expect(session?.amr).toEqual(['pwd', 'sms', 'mfa']);
    });
  });

  describe('password reset', () => {
    it('sends a code only when CPR and mobile match, and answers the same either way', async () => {
      const a = await registerActive();
      const before = outbox.messages.length;
      await expect(
        signIns.startPasswordReset({ cpr: person().cpr, mobile: a.mobile }),
      ).resolves.toBeUndefined();
      await expect(
        signIns.startPasswordReset({ cpr: a.cpr, mobile: '+97336999999' }),
      ).resolves.toBeUndefined();
      expect(outbox.messages.length).toBe(before);
      await expect(
        signIns.startPasswordReset({ cpr: a.cpr, mobile: a.mobile }),
      ).resolves.toBeUndefined();
      expect(outbox.lastTo(a.mobile)?.reference).toBe('ekey.otp.password_reset');
    });

    it('sets the new password with the SMS code, ends every session and alerts the holder', async () => {
      const a = await registerActive();
      const sessions = t.get(EkeySessionService);
      const s = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      await signIns.startPasswordReset({ cpr: a.cpr, mobile: a.mobile });
      const code = outbox.lastCodeTo(a.mobile);
      codesSeen.push(code);
      const newPassword = 'brand new reset passphrase 7';
      passwordsSeen.push(newPassword);
      const wrong = code === '000000' ? '111111' : '000000';
      expect(
        await codeOf(signIns.completePasswordReset({ cpr: a.cpr, code: wrong, newPassword })),
      ).toBe('EKEY_CODE_INVALID');
      await signIns.completePasswordReset({ cpr: a.cpr, code, newPassword });
      expect(await sessions.resolve(s.token, 'active')).toBeNull();
      expect(outbox.lastTo(a.mobile)?.reference).toBe('ekey.alert.password_changed');
      expect(await codeOf(signIns.signIn({ cpr: a.cpr, password: PASSWORD }))).toBe(
        'EKEY_INVALID_CREDENTIALS',
      );
      expect((await signIns.signIn({ cpr: a.cpr, password: newPassword })).stage).toBe('active');
      // The code was used once.
      expect(
        await codeOf(
          signIns.completePasswordReset({ cpr: a.cpr, code, newPassword: `${newPassword}x` }),
        ),
      ).not.toBe('no error');
    });

    it('needs the second factor too when the account has one', async () => {
      const a = await registerActive();
      const { secret } = await accounts.startTotp(a.accountId);
      const backup = await accounts.confirmTotp(a.accountId, await totpCode(secret, now));
      await signIns.startPasswordReset({ cpr: a.cpr, mobile: a.mobile });
      const code = outbox.lastCodeTo(a.mobile);
      const newPassword = 'short but 2fa ok';
      expect(await codeOf(signIns.completePasswordReset({ cpr: a.cpr, code, newPassword }))).toBe(
        'EKEY_CODE_INVALID',
      );
      await signIns.startPasswordReset({ cpr: a.cpr, mobile: a.mobile });
      await signIns.completePasswordReset({
        cpr: a.cpr,
        code: outbox.lastCodeTo(a.mobile),
        secondFactor: { method: 'backup_code', code: backup[0] },
        newPassword,
      });
      expect((await signIns.signIn({ cpr: a.cpr, password: newPassword })).stage).toBe(
        'second_factor',
      );
    });

    it('slows down guessing of reset codes, for unknown CPRs too', async () => {
      const unknown = person().cpr;
      for (let i = 0; i < 4; i++)
        expect(
          await codeOf(
            signIns.completePasswordReset({
              cpr: unknown,
              code: '123456',
              newPassword: 'whatever passphrase 1',
            }),
          ),
        ).toBe('EKEY_CODE_INVALID');
      expect(
        await codeOf(
          signIns.completePasswordReset({
            cpr: unknown,
            code: '123456',
            newPassword: 'whatever passphrase 1',
          }),
        ),
      ).toBe('EKEY_THROTTLED');
    });
  });

  describe('sessions', () => {
    it('ends after 15 minutes idle and 12 hours in all', async () => {
      const sessions = t.get(EkeySessionService);
      const a = await registerActive();
      const s = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      advance(14 * 60_000);
      expect(await sessions.resolve(s.token, 'active')).not.toBeNull();
      advance(15 * 60_000);
      expect(await sessions.resolve(s.token, 'active')).toBeNull();

      const s2 = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      for (let i = 0; i < 51; i++) {
        advance(14 * 60_000); // a request every 14 minutes: never idle
        expect(await sessions.resolve(s2.token, 'active')).not.toBeNull();
      }
      advance(14 * 60_000); // 12 h 08 min after sign-in, active all along
      expect(await sessions.resolve(s2.token, 'active')).toBeNull();
    });

    it('ends every session when the password changes, and alerts the holder', async () => {
      const a = await registerActive();
      const sessions = t.get(EkeySessionService);
      const s = await signIns.signIn({ cpr: a.cpr, password: PASSWORD });
      const newPassword = 'another long passphrase 2026';
      passwordsSeen.push(newPassword);
      await accounts.changePassword(a.accountId, { currentPassword: PASSWORD, newPassword });
      expect(await sessions.resolve(s.token, 'active')).toBeNull();
      expect(outbox.lastTo(a.mobile)?.reference).toBe('ekey.alert.password_changed');
      expect((await signIns.signIn({ cpr: a.cpr, password: newPassword })).stage).toBe('active');
    });
  });

  describe('contracts for other modules', () => {
    it('EkeyDirectory gives verified contacts only', async () => {
      const a = await registerActive({ lang: 'en' });
      expect(await t.get(EkeyDirectory).contactFor(a.accountId)).toEqual({
        mobile: a.mobile,
        email: null, // registered, but not confirmed with the e-mailed code
        lang: 'en',
      });
      expect(
        await t.get(EkeyDirectory).contactFor('00000000-0000-0000-0000-000000000000'),
      ).toBeNull();
      expect(await t.get(EkeyDirectory).contactFor('not-a-uuid')).toBeNull();
    });

    it('EkeyStatsService counts activations in Bahrain days plus historic whole years', async () => {
      const stats = t.get(EkeyStatsService);
      await t.get(EkeyDemoSeeder).seed();
      await t.get(EkeyDemoSeeder).seed(); // idempotent
      expect(await stats.registrations({ from: '2017-01-01', to: '2017-12-31' })).toBe(75_000);
      expect(await stats.registrations({ from: '2017-02-01', to: '2017-12-31' })).toBe(0);
      expect(await stats.yearAgainstTarget(2017)).toEqual({
        year: 2017,
        registered: 75_000,
        target: 50_000,
      });

      // 23:30 UTC is already the next day in Bahrain (UTC+3).
      now = new Date('2026-03-10T22:30:00Z');
      const a = await registerActive({ residency: 'resident', nationality: 'IN' });
      expect(await stats.registrations({ from: '2026-03-11', to: '2026-03-11' })).toBe(1);
      expect(await stats.registrations({ from: '2026-03-10', to: '2026-03-10' })).toBe(0);
      const rows = await stats.breakdown({ from: '2026-03-01', to: '2026-03-31' }, 'month');
      expect(rows).toEqual([
        {
          period: '2026-03',
          level: 'standard',
          channel: 'online',
          residency: 'resident',
          count: 1,
        },
      ]);
      expect(a.accountId).toBeDefined();
      expect(await codeOf(stats.setTarget(t.admin, 2026, 60_000))).toBe('no error');
      expect((await stats.yearAgainstTarget(2026)).target).toBe(60_000);
      expect(
        await codeOf(stats.setTarget({ type: 'citizen', id: a.accountId, label: 'x' }, 2026, 1)),
      ).toBe('FORBIDDEN');
      expect(await codeOf(stats.registrations({ from: '2026-13-01', to: '2026-12-31' }))).toBe(
        'INVALID_PARAMETER',
      );
      now = new Date();
    });
  });

  it('never writes a password, a code or a full CPR to the logs or the audit log', async () => {
    const logs = t.logs.text();
    const audit = JSON.stringify(await t.db.query('SELECT * FROM audit_event'));
    expect(cprsSeen.length).toBeGreaterThan(5);
    expect(codesSeen.length).toBeGreaterThan(5);
    for (const secret of [...passwordsSeen, ...cprsSeen, ...codesSeen]) {
      expect(logs).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
  });
});
