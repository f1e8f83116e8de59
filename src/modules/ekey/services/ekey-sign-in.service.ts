import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { Clock } from '../../../platform/clock.js';
import { randomToken } from '../../../platform/crypto/digest.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { rateLimited } from '../../../platform/rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../../../platform/rate-limit/rate-limiter.js';
import { hashBackupCode } from '../domain/backup-codes.js';
import { requireCpr } from '../domain/cpr.js';
import { normalizeMobile } from '../domain/phone.js';
import {
  decideAttempt,
  type FailureKind,
  isLocked,
  LOCK_AFTER_FAILURES,
} from '../domain/throttle-policy.js';
import { verifyTotp } from '../domain/totp.js';
import type { EkeyAccount } from '../entities/ekey-account.entity.js';
import type { EkeySession } from '../entities/ekey-session.entity.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { EKEY_SETTINGS, EkeyPasswordHasher, type EkeySettings } from '../ekey.tokens.js';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import { EkeyThrottleRepository } from '../repositories/ekey-throttle.repository.js';
import { citizenActor, type ClientInfo, EkeyAccountService } from './ekey-account.service.js';
import { EkeyPasskeyService } from './ekey-passkey.service.js';
import { EkeySessionService } from './ekey-session.service.js';

export type SecondFactorMethod = 'totp' | 'backup_code' | 'sms';
/** What the second-factor step offers: the code methods, and passkeys (WebAuthn). */
export type SignInMethod = SecondFactorMethod | 'passkey';

export interface SignInResult {
  stage: 'active' | 'second_factor';
  /** Session token for the cookie; rotated at every stage. */
  token: string;
  /** Methods the holder can use for the second factor (stage `second_factor`). */
  methods: SignInMethod[];
  /** First sign-in from this device: the caller sets this device id cookie. */
  deviceToken?: string;
}

export interface SignInClient extends ClientInfo {
  /** Value of the device cookie, when the browser has one. */
  deviceToken?: string;
}

/** RFC 8176 method names per factor (backup codes: knowledge of a printed secret). */
const AMR: Record<SecondFactorMethod, string> = { totp: 'otp', sms: 'sms', backup_code: 'kba' };

/**
 * CPR + password, then a second factor. Unknown CPR, wrong password and a locked account
 * take the same path (one argon2 operation, one counter update) and end in the same
 * INVALID_CREDENTIALS, so neither the body, the status nor the time tells them apart.
 * Failure runs are kept per CPR hash and per factor in the database (shared by instances).
 */
@Injectable()
export class EkeySignInService {
  constructor(
    private readonly accounts: EkeyAccountRepository,
    private readonly accountService: EkeyAccountService,
    private readonly throttle: EkeyThrottleRepository,
    private readonly sessions: EkeySessionService,
    private readonly hasher: EkeyPasswordHasher,
    private readonly cipher: FieldCipher,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly passkeys: EkeyPasskeyService,
    @Inject(EKEY_SETTINGS) private readonly settings: EkeySettings,
  ) {}

  async signIn(
    input: { cpr: string; password: string; requireSecondFactor?: boolean },
    client: SignInClient = {},
  ): Promise<SignInResult> {
    await this.limitAddress(client.ip);
    const cpr = requireCpr(input.cpr);
    const cprHash = this.accountService.cprHash(cpr);
    const now = this.clock.now();
    // Throttle state and account in one read; for a throttled CPR the account is not used.
    const { account, throttle: state } = await this.accounts.findForSignIn(cprHash);
    const decision = decideAttempt(state, 'password', now);
    if (!decision.allowed && !decision.locked) throw throttled(decision.retryAfterSeconds);

    const locked = !decision.allowed; // the hard cap: even the right password is refused
    const check =
      account && !locked
        ? await this.hasher.verify(account.passwordHash, input.password)
        : { ok: await this.hasher.dummyVerify(), needsRehash: false };
    if (!account || !check.ok) {
      const failures = await this.throttle.recordFailure(cprHash, 'password', now);
      if (account) await this.failed(account, 'password', failures, client);
      throw new DomainException(EkeyErrors.INVALID_CREDENTIALS);
    }

    if (state.password.count > 0) await this.throttle.reset(cprHash, 'password');
    if (check.needsRehash)
      await this.accounts.setPasswordHash(account.id, await this.hasher.hash(input.password));

    const hasTotp = account.totpEnabledAt !== null;
    const hasPasskey = account.passkeyCount > 0;
    if (hasTotp || hasPasskey || input.requireSecondFactor) {
      const { token } = await this.sessions.create({
        accountId: account.id,
        stage: 'second_factor',
        amr: ['pwd'],
        deviceHash: this.deviceHash(client.deviceToken),
        ...clientOnly(client),
      });
      const methods: SignInMethod[] = [
        ...(hasPasskey ? (['passkey'] as const) : []),
        ...(hasTotp ? (['totp', 'backup_code'] as const) : []),
        'sms',
      ];
      return { stage: 'second_factor', token, methods };
    }
    return this.complete(account, ['pwd'], client);
  }

  /** Sends an SMS code for the pending sign-in (the weaker second factor). */
  async sendSmsCode(pendingToken: string | undefined, client: ClientInfo = {}): Promise<void> {
    await this.limitAddress(client.ip);
    const pending = await this.pending(pendingToken);
    const account = await this.accounts.findById(pending.accountId);
    if (!account) throw new DomainException(EkeyErrors.SESSION_REQUIRED);
    const code = await this.tx.run((tx) =>
      this.accountService.issueCode(tx, account.id, 'sign_in'),
    );
    await this.accountService.sendCode(
      this.accountService.mobileOf(account),
      account.lang,
      code,
      'sign_in',
    );
  }

  /** WebAuthn options for the pending sign-in (its account's passkeys, a fresh challenge). */
  async passkeyOptions(pendingToken: string | undefined, client: ClientInfo = {}) {
    await this.limitAddress(client.ip);
    const pending = await this.pending(pendingToken);
    return this.passkeys.authenticationOptions(pending.accountId);
  }

  /**
   * A passkey as the second factor (phishing-resistant: amr `hwk`, or `swk` for a synced
   * passkey, plus `mfa`). Failures count on the code counter like a wrong code.
   */
  completeWithPasskey(
    pendingToken: string | undefined,
    response: AuthenticationResponseJSON,
    client: SignInClient = {},
  ): Promise<SignInResult> {
    return this.finishSecondFactor(
      pendingToken,
      async (account) => this.passkeys.verifyAssertion(account.id, response),
      client,
    );
  }

  /** Second factor of a pending sign-in; success rotates the session id. */
  async completeSecondFactor(
    pendingToken: string | undefined,
    input: { method: SecondFactorMethod; code: string },
    client: SignInClient = {},
  ): Promise<SignInResult> {
    const result = await this.finishSecondFactor(
      pendingToken,
      async (account) => ((await this.judgeCode(account, input)) ? AMR[input.method] : null),
      client,
    );
    if (input.method === 'backup_code' && result.accountId)
      await this.accounts.addActivity({
        accountId: result.accountId,
        kind: 'backup_code_used',
        occurredAt: this.clock.now(),
        ...clientOnly(client),
      });
    return result;
  }

  /** The common part of every second factor: throttle per CPR, judge, rotate the session. */
  private async finishSecondFactor(
    pendingToken: string | undefined,
    judge: (account: EkeyAccount) => Promise<string | null>,
    client: SignInClient,
  ): Promise<SignInResult & { accountId?: string }> {
    await this.limitAddress(client.ip);
    const pending = await this.pending(pendingToken);
    const account = await this.accounts.findWithSecrets(pending.accountId);
    if (!account || account.status !== 'active')
      throw new DomainException(EkeyErrors.SESSION_REQUIRED);
    const now = this.clock.now();
    const state = await this.throttle.stateOf(account.cprHash);
    const decision = decideAttempt(state, 'code', now);
    if (!decision.allowed) {
      if (decision.locked) throw new DomainException(EkeyErrors.LOCKED);
      throw throttled(decision.retryAfterSeconds);
    }
    const method = await judge(account);
    if (!method) {
      const failures = await this.throttle.recordFailure(account.cprHash, 'code', now);
      await this.failed(account, 'code', failures, client);
      throw new DomainException(EkeyErrors.CODE_INVALID);
    }
    if (state.code.count > 0) await this.throttle.reset(account.cprHash, 'code');
    const amr = [...pending.amr, method, 'mfa'];
    return { ...(await this.complete(account, amr, client, pending)), accountId: account.id };
  }

  /**
   * Password reset, step 1: a code goes to the mobile only when CPR and mobile match an
   * active eKey; the caller gets the same answer either way (no enumeration).
   */
  async startPasswordReset(input: { cpr: string; mobile: string }, client: ClientInfo = {}) {
    await this.limitAddress(client.ip);
    const cpr = requireCpr(input.cpr);
    const account = await this.accounts.findActiveByCprHashForSignIn(
      this.accountService.cprHash(cpr),
    );
    const mobile = normalizeMobile(input.mobile);
    if (!account || !mobile.ok || this.accountService.mobileOf(account) !== mobile.e164) return;
    const code = await this.tx.run((tx) =>
      this.accountService.issueCode(tx, account.id, 'password_reset'),
    );
    await this.accountService.sendCode(mobile.e164, account.lang, code, 'password_reset');
  }

  /**
   * Password reset with a passkey as the second factor: WebAuthn options for the CPR. The
   * answer has the same shape for every CPR (no enumeration); see `passwordResetOptions`.
   */
  async passwordResetPasskeyOptions(input: { cpr: string }, client: ClientInfo = {}) {
    await this.limitAddress(client.ip);
    const cpr = requireCpr(input.cpr);
    const account = await this.accounts.findActiveByCprHashForSignIn(
      this.accountService.cprHash(cpr),
    );
    return this.passkeys.passwordResetOptions(account?.passkeyCount ? account.id : null);
  }

  /**
   * Password reset, step 2: the SMS code, plus a second factor when the account has one
   * (the app, a passkey, or a backup code). Ends every session and alerts the holder. Failures count on the
   * code counter of the CPR (unknown CPRs too), so the step cannot be brute-forced.
   */
  async completePasswordReset(
    input: {
      cpr: string;
      code: string;
      secondFactor?:
        | { method: 'totp' | 'backup_code'; code: string }
        | { method: 'passkey'; response: AuthenticationResponseJSON };
      newPassword: string;
    },
    client: ClientInfo = {},
  ): Promise<void> {
    await this.limitAddress(client.ip);
    const cpr = requireCpr(input.cpr);
    const cprHash = this.accountService.cprHash(cpr);
    const now = this.clock.now();
    const decision = decideAttempt(await this.throttle.stateOf(cprHash), 'code', now);
    if (!decision.allowed) {
      if (decision.locked) throw new DomainException(EkeyErrors.LOCKED);
      throw throttled(decision.retryAfterSeconds);
    }
    const account = await this.accounts.findActiveByCprHashForSignIn(cprHash);
    const fail = async (): Promise<never> => {
      await this.throttle.recordFailure(cprHash, 'code', now);
      throw new DomainException(EkeyErrors.CODE_INVALID);
    };
    if (!account) return fail();
    try {
      await this.accountService.checkCode(account.id, 'password_reset', input.code);
    } catch (e) {
      if (e instanceof DomainException && e.definition === EkeyErrors.CODE_INVALID) return fail();
      throw e;
    }
    if (account.totpEnabledAt || account.passkeyCount > 0) {
      const second = input.secondFactor;
      if (!second) return fail();
      const ok =
        second.method === 'passkey'
          ? (await this.passkeys.verifyAssertion(
              account.id,
              second.response,
              'passkey_password_reset',
            )) !== null
          : await this.judgeCode(account, second);
      if (!ok) return fail();
    }
    await this.accountService.resetPassword(account, input.newPassword, client);
    await this.throttle.resetAll(cprHash);
  }

  private async judgeCode(
    account: EkeyAccount,
    input: { method: SecondFactorMethod; code: string },
  ): Promise<boolean> {
    const now = this.clock.now();
    switch (input.method) {
      case 'totp': {
        if (!account.totpEnabledAt || !account.totpSecretEncrypted)
          throw new DomainException(EkeyErrors.SECOND_FACTOR_UNAVAILABLE);
        const secret = this.cipher.decrypt(
          account.totpSecretEncrypted,
          `ekey_account:${account.id}:totp`,
        );
        const last = account.totpLastStep === null ? undefined : Number(account.totpLastStep);
        const check = await verifyTotp(secret, input.code, now, last);
        // The step moves forward atomically: of two requests with one code, one wins.
        return check.ok && (await this.accounts.advanceTotpStep(account.id, check.step));
      }
      case 'backup_code': {
        const hash = hashBackupCode(input.code, this.cipher);
        return hash !== undefined && this.accounts.consumeBackupCode(account.id, hash, now);
      }
      case 'sms':
        try {
          await this.accountService.checkCode(account.id, 'sign_in', input.code);
          return true;
        } catch (e) {
          if (e instanceof DomainException && e.definition === EkeyErrors.CODE_ATTEMPTS_EXHAUSTED)
            throw e;
          return false;
        }
    }
  }

  private async complete(
    account: EkeyAccount,
    amr: string[],
    client: SignInClient,
    previous?: EkeySession,
  ): Promise<SignInResult> {
    let deviceToken = client.deviceToken;
    let deviceHash = this.deviceHash(deviceToken);
    if (!deviceHash) {
      deviceToken = this.newDeviceToken();
      deviceHash = this.deviceHash(deviceToken)!;
    }
    if (!previous) {
      // The common case (password only): session and activity in one statement.
      const started = await this.sessions.startActive({
        accountId: account.id,
        amr,
        deviceHash,
        ...clientOnly(client),
      });
      if (started.newDevice) await this.accountService.alert(account, 'new_device');
      return {
        stage: 'active',
        token: started.token,
        methods: [],
        ...(deviceToken !== client.deviceToken ? { deviceToken } : {}),
      };
    }
    const newDevice = !(await this.sessions.hasSeenDevice(account.id, deviceHash));
    const now = this.clock.now();
    const created = await this.tx.run(async (tx) => {
      const s = await this.sessions.rotate(previous, 'active', amr, tx);
      if (!s) throw new DomainException(EkeyErrors.SESSION_REQUIRED);
      await this.accounts.addActivity(
        { accountId: account.id, kind: 'sign_in', occurredAt: now, ...clientOnly(client) },
        tx,
      );
      if (newDevice)
        await this.accounts.addActivity(
          { accountId: account.id, kind: 'new_device', occurredAt: now, ...clientOnly(client) },
          tx,
        );
      // A citizen's own sign-in is not a privileged action: it goes to their activity page,
      // not to the hash-chained audit log (whose lock would serialise every sign-in).
      return s;
    });
    if (newDevice) await this.accountService.alert(account, 'new_device');
    return {
      stage: 'active',
      token: created.token,
      methods: [],
      ...(deviceToken !== client.deviceToken ? { deviceToken } : {}),
    };
  }

  private async failed(
    account: EkeyAccount,
    kind: FailureKind,
    failures: number,
    client: ClientInfo,
  ): Promise<void> {
    const now = this.clock.now();
    // Off the response path: a write that only known CPRs cause must not show in the timing.
    void this.accounts
      .addActivity({
        accountId: account.id,
        kind: 'sign_in_failed',
        occurredAt: now,
        ...clientOnly(client),
      })
      .catch(() => undefined);
    if (failures === LOCK_AFTER_FAILURES) {
      await this.audit.recordAlone({
        actor: citizenActor(account, client.ip),
        action: 'ekey.account.locked',
        objectType: 'ekey_account',
        objectId: account.id,
        outcome: 'failure',
        details: { factor: kind },
      });
      await this.accountService.alert(account, 'locked');
    }
  }

  private async pending(token: string | undefined): Promise<EkeySession> {
    const pending = await this.sessions.resolve(token, 'second_factor');
    if (!pending) throw new DomainException(EkeyErrors.SESSION_REQUIRED);
    return pending;
  }

  private async limitAddress(ip: string | null | undefined): Promise<void> {
    const d = await this.limiter.hit(
      `ekey-sign-in:${ip ?? 'unknown'}`,
      this.settings.signInPerIpPerMinute,
      60,
    );
    if (!d.allowed) throw rateLimited(d.retryAfter, 'Too many sign-in attempts from this address');
  }

  private deviceHash(token: string | undefined): string | null {
    return token && /^[A-Za-z0-9_-]{43}$/.test(token)
      ? this.cipher.lookupHash(token, 'ekey.device')
      : null;
  }

  private newDeviceToken(): string {
    return randomToken(32);
  }

  /** Is the account locked by either counter? (For the service desk.) */
  async isLocked(cpr: string): Promise<boolean> {
    return isLocked(await this.throttle.stateOf(this.accountService.cprHash(requireCpr(cpr))));
  }
}

function throttled(retryAfter: number): DomainException {
  return new DomainException(
    EkeyErrors.THROTTLED,
    undefined,
    [],
    { retryAfter },
    { 'Retry-After': String(retryAfter) },
  );
}

function clientOnly(client: ClientInfo): ClientInfo {
  return { ip: client.ip ?? null, userAgent: client.userAgent ?? null };
}
