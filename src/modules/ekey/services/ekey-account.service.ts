import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { requireRole } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { Clock } from '../../../platform/clock.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { type Tx, TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { generateBackupCodes } from '../domain/backup-codes.js';
import { maskCpr, requireCpr } from '../domain/cpr.js';
import { checkOneTimeCode, issueOneTimeCode } from '../domain/one-time-code.js';
import { assertPasswordAcceptable } from '../domain/password-policy.js';
import { requireMobile } from '../domain/phone.js';
import { generateTotpSecret, totpUri, verifyTotp } from '../domain/totp.js';
import type {
  EkeyAccount,
  EkeyChannel,
  EkeyLang,
  EkeyResidency,
} from '../entities/ekey-account.entity.js';
import type { EkeyActivityKind } from '../entities/ekey-activity.entity.js';
import type { EkeyChallengePurpose } from '../entities/ekey-challenge.entity.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { EkeyPasswordHasher } from '../ekey.tokens.js';
import {
  EkeyAccountRepository,
  ONE_ACTIVE_PER_CPR_INDEX,
} from '../repositories/ekey-account.repository.js';
import { EkeySessionRepository } from '../repositories/ekey-session.repository.js';
import { type EkeyAlertKind, alertBody, codeMessage, emailCodeMessage } from './ekey-alerts.js';
import { EkeyMessenger } from './ekey-messenger.js';

export const CPR_PURPOSE = 'ekey.cpr';

/** A pragmatic address check (the DTO validates too): one @, a dotted domain, no spaces. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/u;

/** Lower-cased, trimmed address, or a 400 naming the field. */
export function requireEmail(input: string): string {
  const email = input.normalize('NFKC').trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new DomainException(EkeyErrors.INVALID_EMAIL, undefined, [
      { field: 'email', message: 'Enter an e-mail address like name@example.bh', reason: 'format' },
    ]);
  return email;
}

export interface RegistrationInput {
  cpr: string;
  nameAr: string;
  nameEn: string;
  nationality: string;
  residency: EkeyResidency;
  dateOfBirth: string;
  mobile: string;
  email?: string | null;
  password: string;
  lang?: EkeyLang;
}

/** Where a request came from, for the activity page and the audit log. */
export interface ClientInfo {
  ip?: string | null;
  userAgent?: string | null;
}

export function citizenActor(account: { id: string; cprLast3: string }, ip?: string | null): Actor {
  return {
    type: 'citizen',
    id: account.id,
    label: `eKey ******${account.cprLast3}`,
    ...(ip ? { ip } : {}),
  };
}

/** Registration, mobile verification, identity level, and credential set-up. */
@Injectable()
export class EkeyAccountService {
  constructor(
    private readonly accounts: EkeyAccountRepository,
    private readonly sessions: EkeySessionRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cipher: FieldCipher,
    private readonly hasher: EkeyPasswordHasher,
    private readonly messenger: EkeyMessenger,
  ) {}

  cprHash(cpr: string): string {
    return this.cipher.lookupHash(cpr, CPR_PURPOSE);
  }

  /**
   * A pending account and an SMS code to its mobile. It becomes active (and counts as a
   * registration) only when the code is confirmed.
   */
  async register(
    input: RegistrationInput,
    client: ClientInfo = {},
  ): Promise<{ accountId: string; mobileMasked: string }> {
    const cpr = requireCpr(input.cpr);
    const mobile = requireMobile(input.mobile);
    // Registration is single-factor until a second factor is added: the 15-character rule.
    assertPasswordAcceptable(input.password, {
      hasSecondFactor: false,
      cpr,
      names: [input.nameAr, input.nameEn],
    });
    const email = input.email ? requireEmail(input.email) : null;
    const cprHash = this.cprHash(cpr);
    if (await this.accounts.existsActiveByCprHash(cprHash))
      throw new DomainException(EkeyErrors.ALREADY_REGISTERED);
    const passwordHash = await this.hasher.hash(input.password);
    const id = randomUUID();
    const now = this.clock.now();
    const code = await this.tx.run(async (tx) => {
      const account = await this.accounts.insert(tx, {
        id,
        cprHash,
        cprEncrypted: this.cipher.encrypt(cpr, `ekey_account:${id}:cpr`),
        cprLast3: cpr.slice(-3),
        nameAr: input.nameAr.normalize('NFKC').trim(),
        nameEn: input.nameEn.normalize('NFKC').trim(),
        nationality: input.nationality.toUpperCase(),
        residency: input.residency,
        dateOfBirth: input.dateOfBirth,
        mobileEncrypted: this.cipher.encrypt(mobile, `ekey_account:${id}:mobile`),
        emailEncrypted: email ? this.cipher.encrypt(email, `ekey_account:${id}:email`) : null,
        lang: input.lang ?? 'ar',
        status: 'pending',
        level: 'standard',
        channel: 'online',
        passwordHash,
      });
      await this.accounts.addActivity(
        { accountId: id, kind: 'registered', occurredAt: now, ...client },
        tx,
      );
      await this.audit.record(tx, {
        actor: citizenActor(account, client.ip),
        action: 'ekey.account.register',
        objectType: 'ekey_account',
        objectId: id,
        details: { cpr: maskCpr(cpr), residency: input.residency, channel: 'online' },
      });
      return {
        mobileCode: await this.issueCode(tx, id, 'verify_mobile'),
        emailCode: email ? await this.issueCode(tx, id, 'verify_email') : null,
      };
    });
    await this.sendCode(mobile, input.lang ?? 'ar', code.mobileCode, 'verify_mobile');
    if (email && code.emailCode)
      await this.sendEmailCode(email, input.lang ?? 'ar', code.emailCode);
    return { accountId: id, mobileMasked: maskMobile(mobile) };
  }

  async resendMobileCode(accountId: string): Promise<void> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw new DomainException(EkeyErrors.REGISTRATION_NOT_FOUND);
    if (account.status !== 'pending') throw new DomainException(EkeyErrors.NOT_PENDING);
    const code = await this.tx.run((tx) => this.issueCode(tx, accountId, 'verify_mobile'));
    await this.sendCode(this.mobileOf(account), account.lang, code, 'verify_mobile');
  }

  /** Confirms the SMS code (5 guesses): the account becomes active, unless the CPR already has one. */
  async verifyMobile(accountId: string, code: string, client: ClientInfo = {}): Promise<void> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw new DomainException(EkeyErrors.REGISTRATION_NOT_FOUND);
    if (account.status !== 'pending') throw new DomainException(EkeyErrors.NOT_PENDING);
    await this.checkCode(accountId, 'verify_mobile', code);
    const now = this.clock.now();
    try {
      await this.tx.run(async (tx) => {
        if (!(await this.accounts.activate(tx, accountId, now)))
          throw new DomainException(EkeyErrors.NOT_PENDING);
        await this.accounts.addActivity(
          { accountId, kind: 'activated', occurredAt: now, ...client },
          tx,
        );
        await this.audit.record(tx, {
          actor: citizenActor(account, client.ip),
          action: 'ekey.account.activate',
          objectType: 'ekey_account',
          objectId: accountId,
          details: { level: account.level, channel: account.channel },
        });
      });
    } catch (e) {
      if ((e as { constraint?: string }).constraint === ONE_ACTIVE_PER_CPR_INDEX)
        throw new DomainException(EkeyErrors.ALREADY_REGISTERED);
      throw e;
    }
  }

  // --- e-mail address ---------------------------------------------------------------

  /**
   * Sets (or re-sends for) the holder's e-mail address: a code goes to it, and until it is
   * confirmed the address counts as unverified (`EkeyDirectory.contactFor` gives no e-mail).
   * A different address than the current one is a contact change: activity, audit, and an
   * SMS alert to the verified mobile.
   */
  async changeEmail(accountId: string, input: string, client: ClientInfo = {}): Promise<void> {
    const email = requireEmail(input);
    const account = await this.accounts.findById(accountId);
    if (!account || account.status !== 'active')
      throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    const changed = this.emailOf(account) !== email;
    const now = this.clock.now();
    const code = await this.tx.run(async (tx) => {
      if (changed) {
        await this.accounts.setEmail(
          tx,
          accountId,
          this.cipher.encrypt(email, `ekey_account:${accountId}:email`),
        );
        await this.accounts.addActivity(
          { accountId, kind: 'email_changed', occurredAt: now, ...client },
          tx,
        );
        await this.audit.record(tx, {
          actor: citizenActor(account, client.ip),
          action: 'ekey.account.email.change',
          objectType: 'ekey_account',
          objectId: accountId,
        });
      }
      return this.issueCode(tx, accountId, 'verify_email');
    });
    await this.sendEmailCode(email, account.lang, code);
    if (changed) await this.alert(account, 'email_changed');
  }

  /** Confirms the e-mailed code (5 guesses): the address is verified, if it is still the one the code went to. */
  async verifyEmail(accountId: string, code: string, client: ClientInfo = {}): Promise<void> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.status !== 'active')
      throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    if (!account.emailEncrypted) throw new DomainException(EkeyErrors.NO_EMAIL);
    await this.checkCode(accountId, 'verify_email', code);
    const now = this.clock.now();
    await this.tx.run(async (tx) => {
      // The address may have changed since the code was read: a new code went to the new one.
      if (!(await this.accounts.markEmailVerified(tx, accountId, account.emailEncrypted!, now)))
        throw new DomainException(EkeyErrors.CODE_INVALID);
      await this.accounts.addActivity(
        { accountId, kind: 'email_verified', occurredAt: now, ...client },
        tx,
      );
      await this.audit.record(tx, {
        actor: citizenActor(account, client.ip),
        action: 'ekey.account.email.verify',
        objectType: 'ekey_account',
        objectId: accountId,
      });
    });
  }

  private async sendEmailCode(to: string, lang: EkeyLang, code: string): Promise<void> {
    const m = emailCodeMessage(code, lang);
    await this.messenger.send({
      channel: 'email',
      to,
      lang,
      subject: m.subject,
      body: m.body,
      priority: 'otp',
      reference: 'ekey.otp.verify_email',
    });
  }

  /**
   * An operator records the in-person identity check (service centre or kiosk) with its
   * evidence reference: the account moves to the advanced level. Audited.
   */
  async recordAdvancedIdentity(
    actor: Actor,
    accountId: string,
    input: { evidenceRef: string; channel: Exclude<EkeyChannel, 'online'> },
  ): Promise<void> {
    requireRole(actor, 'operator');
    const evidenceRef = input.evidenceRef?.trim() ?? '';
    if (!/^[\p{L}\p{N}][\p{L}\p{N} ./_-]{2,119}$/u.test(evidenceRef))
      throw new DomainException(EkeyErrors.INVALID_EVIDENCE, undefined, [
        {
          field: 'evidenceRef',
          message: 'Enter the reference of the identity check',
          reason: 'format',
        },
      ]);
    if (input.channel !== 'service_centre' && input.channel !== 'kiosk')
      throw new DomainException(EkeyErrors.INVALID_EVIDENCE, undefined, [
        { field: 'channel', message: 'service_centre or kiosk', reason: 'format' },
      ]);
    const now = this.clock.now();
    await this.tx.run(async (tx) => {
      const account = await this.accounts.findById(accountId, tx);
      if (!account || account.status !== 'active')
        throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
      await this.accounts.setLevel(tx, accountId, {
        level: 'advanced',
        channel: input.channel,
        evidenceRef,
        by: actor.id!,
        at: now,
      });
      await this.accounts.addActivity({ accountId, kind: 'level_advanced', occurredAt: now }, tx);
      await this.audit.record(tx, {
        actor,
        action: 'ekey.account.level.advanced',
        objectType: 'ekey_account',
        objectId: accountId,
        details: { from: account.level, to: 'advanced', evidenceRef, channel: input.channel },
      });
    });
  }

  // --- second factors ---------------------------------------------------------------

  /** Starts authenticator enrolment: a secret (encrypted at rest) not yet in force. */
  async startTotp(accountId: string): Promise<{ secret: string; uri: string }> {
    const account = await this.accounts.findWithSecrets(accountId);
    if (!account) throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    if (account.totpEnabledAt) throw new DomainException(EkeyErrors.TOTP_ALREADY_ENABLED);
    const secret = generateTotpSecret();
    await this.tx.run((tx) =>
      tx.manager.query(
        'UPDATE ekey_account SET totp_secret_encrypted = $2, totp_last_step = NULL WHERE id = $1',
        [accountId, this.cipher.encrypt(secret, `ekey_account:${accountId}:totp`)],
      ),
    );
    return { secret, uri: totpUri(secret, `eKey ******${account.cprLast3}`) };
  }

  /** A first code from the app turns TOTP on; returns the ten backup codes (shown once). */
  async confirmTotp(accountId: string, code: string, client: ClientInfo = {}): Promise<string[]> {
    const account = await this.accounts.findWithSecrets(accountId);
    if (!account) throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    if (account.totpEnabledAt) throw new DomainException(EkeyErrors.TOTP_ALREADY_ENABLED);
    if (!account.totpSecretEncrypted) throw new DomainException(EkeyErrors.TOTP_NOT_STARTED);
    const secret = this.cipher.decrypt(
      account.totpSecretEncrypted,
      `ekey_account:${accountId}:totp`,
    );
    const now = this.clock.now();
    const check = await verifyTotp(secret, code, now);
    if (!check.ok) throw new DomainException(EkeyErrors.CODE_INVALID);
    const codes = generateBackupCodes(this.cipher);
    await this.tx.run(async (tx) => {
      await this.accounts.setTotp(tx, accountId, account.totpSecretEncrypted!, now, check.step);
      await this.accounts.replaceBackupCodes(
        tx,
        accountId,
        codes.map((c) => c.hash),
      );
      await this.credentialChanged(tx, account, 'totp_enabled', client);
    });
    await this.alert(account, 'totp_enabled');
    return codes.map((c) => c.display);
  }

  /** Ten fresh backup codes; the old ones stop working. */
  async regenerateBackupCodes(accountId: string, client: ClientInfo = {}): Promise<string[]> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    const codes = generateBackupCodes(this.cipher);
    await this.tx.run(async (tx) => {
      await this.accounts.replaceBackupCodes(
        tx,
        accountId,
        codes.map((c) => c.hash),
      );
      await this.credentialChanged(tx, account, 'backup_codes_generated', client);
    });
    await this.alert(account, 'backup_codes');
    return codes.map((c) => c.display);
  }

  /** Changing the password ends every session (the caller signs in again). */
  async changePassword(
    accountId: string,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo = {},
  ): Promise<void> {
    const account = await this.accounts.findWithSecrets(accountId);
    if (!account) throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    const check = await this.hasher.verify(account.passwordHash, input.currentPassword);
    if (!check.ok) throw new DomainException(EkeyErrors.INVALID_CREDENTIALS);
    assertPasswordAcceptable(
      input.newPassword,
      {
        hasSecondFactor: account.totpEnabledAt !== null,
        cpr: this.cprOf(account),
        names: [account.nameAr, account.nameEn],
        // `newPassword` is the field the user typed it in.
      },
      'newPassword',
    );
    const hash = await this.hasher.hash(input.newPassword);
    await this.tx.run(async (tx) => {
      await this.accounts.setPasswordHash(accountId, hash, tx);
      await this.sessions.revokeOfAccount(accountId, this.clock.now(), tx);
      await this.credentialChanged(tx, account, 'password_changed', client);
    });
    await this.alert(account, 'password_changed');
  }

  /** The end of a password reset (codes already checked by the sign-in service). */
  async resetPassword(account: EkeyAccount, newPassword: string, client: ClientInfo = {}) {
    assertPasswordAcceptable(
      newPassword,
      {
        hasSecondFactor: account.totpEnabledAt !== null,
        cpr: this.cprOf(account),
        names: [account.nameAr, account.nameEn],
      },
      'newPassword',
    );
    const hash = await this.hasher.hash(newPassword);
    await this.tx.run(async (tx) => {
      await this.accounts.setPasswordHash(account.id, hash, tx);
      await this.sessions.revokeOfAccount(account.id, this.clock.now(), tx);
      await this.credentialChanged(tx, account, 'password_reset', client);
    });
    await this.alert(account, 'password_changed');
  }

  // --- helpers shared with sign-in ---------------------------------------------------

  mobileOf(account: EkeyAccount): string {
    return this.cipher.decrypt(account.mobileEncrypted, `ekey_account:${account.id}:mobile`);
  }

  emailOf(account: EkeyAccount): string | null {
    return account.emailEncrypted
      ? this.cipher.decrypt(account.emailEncrypted, `ekey_account:${account.id}:email`)
      : null;
  }

  cprOf(account: EkeyAccount): string {
    return this.cipher.decrypt(account.cprEncrypted, `ekey_account:${account.id}:cpr`);
  }

  /** A fresh challenge (any earlier one of that purpose dies); returns the code to send. */
  async issueCode(tx: Tx, accountId: string, purpose: EkeyChallengePurpose): Promise<string> {
    const { code, challenge } = issueOneTimeCode(randomUUID(), this.cipher, this.clock.now());
    await this.accounts.replaceChallenge(tx, { ...challenge, accountId, purpose });
    return code;
  }

  async sendCode(to: string, lang: EkeyLang, code: string, purpose: EkeyChallengePurpose) {
    await this.messenger.send({
      channel: 'sms',
      to,
      lang,
      body: codeMessage(code, lang),
      priority: 'otp',
      reference: `ekey.otp.${purpose}`,
    });
  }

  /**
   * Judges a code against the latest challenge of that purpose: each guess is reserved
   * atomically first, so parallel guesses never exceed five; the right code is used once.
   */
  async checkCode(accountId: string, purpose: EkeyChallengePurpose, input: string): Promise<void> {
    const challenge = await this.accounts.findLatestChallenge(accountId, purpose);
    if (!challenge) throw new DomainException(EkeyErrors.CODE_EXPIRED);
    const reserved = await this.accounts.reserveGuess(challenge.id);
    if (!reserved) throw new DomainException(EkeyErrors.CODE_ATTEMPTS_EXHAUSTED);
    const result = checkOneTimeCode(
      { id: challenge.id, ...reserved },
      input,
      this.cipher,
      this.clock.now(),
    );
    if (result.ok) {
      if (await this.accounts.consumeChallenge(challenge.id)) return;
      throw new DomainException(EkeyErrors.CODE_INVALID);
    }
    if (result.reason === 'expired') throw new DomainException(EkeyErrors.CODE_EXPIRED);
    if (result.reason === 'exhausted')
      throw new DomainException(EkeyErrors.CODE_ATTEMPTS_EXHAUSTED);
    throw new DomainException(EkeyErrors.CODE_INVALID);
  }

  async alert(account: EkeyAccount, kind: EkeyAlertKind): Promise<void> {
    if (!account.mobileVerifiedAt) return;
    await this.messenger.send({
      channel: 'sms',
      to: this.mobileOf(account),
      lang: account.lang,
      body: alertBody(kind, account.lang),
      priority: 'transactional',
      reference: `ekey.alert.${kind}`,
    });
  }

  private async credentialChanged(
    tx: Tx,
    account: EkeyAccount,
    kind: EkeyActivityKind,
    client: ClientInfo,
  ): Promise<void> {
    const now = this.clock.now();
    await this.accounts.addActivity(
      { accountId: account.id, kind, occurredAt: now, ...client },
      tx,
    );
    await this.audit.record(tx, {
      actor: citizenActor(account, client.ip),
      action: `ekey.credential.${kind}`,
      objectType: 'ekey_account',
      objectId: account.id,
    });
  }
}

/** `+973*****234`: country code and last three digits. */
export function maskMobile(e164: string): string {
  return e164.length <= 7
    ? '*'.repeat(e164.length)
    : e164.slice(0, 4) + '*'.repeat(e164.length - 7) + e164.slice(-3);
}

/** `m***@example.bh`: first character and the domain. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
