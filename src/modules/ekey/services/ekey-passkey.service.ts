import { createHash, timingSafeEqual } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { Clock } from '../../../platform/clock.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { type Tx, TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import type { EkeyChallengePurpose } from '../entities/ekey-challenge.entity.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import { EkeyPasskeyRepository } from '../repositories/ekey-passkey.repository.js';
import { citizenActor, type ClientInfo, EkeyAccountService } from './ekey-account.service.js';

/** How long a WebAuthn challenge may be answered. */
const CHALLENGE_TTL_MS = 5 * 60_000;
/** ES256 and RS256: what platform authenticators and security keys use. */
const ALGORITHMS = [-7, -257];

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  transports: string[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Passkeys (WebAuthn, `@simplewebauthn/server`): registered by a signed-in holder with
 * user verification required, then used as a second factor at sign-in. Challenges live in
 * `ekey_challenge` (SHA-256 of the challenge, 5 minutes, one answer each); the signature
 * counter only moves forward. Adding or removing one is a credential change: activity,
 * audit, SMS alert.
 */
@Injectable()
export class EkeyPasskeyService {
  private readonly rpID: string;
  private readonly origin: string;

  constructor(
    private readonly passkeys: EkeyPasskeyRepository,
    private readonly accounts: EkeyAccountRepository,
    private readonly accountService: EkeyAccountService,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) config: DiwanConfig,
  ) {
    const url = new URL(config.app.publicUrl);
    this.rpID = url.hostname;
    this.origin = url.origin;
  }

  /** Options for `navigator.credentials.create()`. */
  async registrationOptions(accountId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.status !== 'active')
      throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    const existing = await this.passkeys.listOfAccount(accountId);
    const options = await generateRegistrationOptions({
      rpName: 'eKey · المفتاح الإلكتروني',
      rpID: this.rpID,
      userName: `eKey ******${account.cprLast3}`,
      userDisplayName: account.nameEn,
      userID: Buffer.from(account.id.replace(/-/g, ''), 'hex'),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({
        id: p.credentialId,
        transports: p.transports,
      })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await this.storeChallenge(accountId, 'passkey_register', options.challenge);
    return options;
  }

  /** Verifies the authenticator's answer and stores the passkey. */
  async register(
    accountId: string,
    response: RegistrationResponseJSON,
    name: string | undefined,
    client: ClientInfo = {},
  ): Promise<PasskeyView> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.status !== 'active')
      throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    const challengeHash = await this.takeChallenge(accountId, 'passkey_register');
    let info;
    try {
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge: (c) => sameHash(sha256(c), challengeHash),
        expectedOrigin: this.origin,
        expectedRPID: this.rpID,
        requireUserVerification: true,
        supportedAlgorithmIDs: ALGORITHMS,
      });
      if (!result.verified) throw new Error('not verified');
      info = result.registrationInfo;
    } catch {
      throw new DomainException(EkeyErrors.PASSKEY_INVALID);
    }
    const saved = await this.tx.run(async (tx) => {
      if (await this.passkeys.existsCredential(info.credential.id, tx))
        throw new DomainException(EkeyErrors.PASSKEY_EXISTS);
      const row = await this.passkeys.insert(tx, {
        accountId,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey),
        counter: String(info.credential.counter),
        transports: info.credential.transports ?? [],
        aaguid: info.aaguid,
        multiDevice: info.credentialDeviceType === 'multiDevice',
        name: (name?.normalize('NFKC').trim() || 'Passkey').slice(0, 80),
      });
      await this.changed(tx, account, 'passkey_added', client, { passkeyId: row.id });
      return row;
    });
    await this.accountService.alert(account, 'passkey_added');
    return view(saved);
  }

  async list(accountId: string): Promise<PasskeyView[]> {
    return (await this.passkeys.listOfAccount(accountId)).map(view);
  }

  async remove(accountId: string, id: string, client: ClientInfo = {}): Promise<void> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND);
    await this.tx.run(async (tx) => {
      if (!(await this.passkeys.remove(tx, accountId, id)))
        throw new DomainException(EkeyErrors.PASSKEY_NOT_FOUND);
      await this.changed(tx, account, 'passkey_removed', client, { passkeyId: id });
    });
    await this.accountService.alert(account, 'passkey_removed');
  }

  /** Options for `navigator.credentials.get()` during a pending sign-in of this account. */
  async authenticationOptions(accountId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const existing = await this.passkeys.listOfAccount(accountId);
    if (existing.length === 0) throw new DomainException(EkeyErrors.SECOND_FACTOR_UNAVAILABLE);
    const options = await generateAuthenticationOptions({
      rpID: this.rpID,
      allowCredentials: existing.map((p) => ({
        id: p.credentialId,
        transports: p.transports as never,
      })),
      userVerification: 'required',
    });
    await this.storeChallenge(accountId, 'passkey_sign_in', options.challenge);
    return options;
  }

  /**
   * Options for a password reset. Anyone may ask with a CPR, so every answer has the same
   * shape whether the eKey exists or has passkeys: a fresh challenge and no credential ids
   * (the authenticator offers its discoverable passkeys for this site). The challenge is kept
   * only for an active eKey with passkeys, under its own purpose.
   */
  async passwordResetOptions(
    accountId: string | null,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.rpID,
      allowCredentials: [],
      userVerification: 'required',
    });
    if (accountId && (await this.passkeys.listOfAccount(accountId)).length > 0)
      await this.storeChallenge(accountId, 'passkey_password_reset', options.challenge);
    return options;
  }

  /**
   * Judges an assertion for this account: the latest challenge of the purpose (used once), one
   * of the account's own passkeys, user verification, a signature counter that moved forward.
   * Returns the RFC 8176 method (`hwk`, or `swk` for a synced passkey), or null.
   */
  async verifyAssertion(
    accountId: string,
    response: AuthenticationResponseJSON,
    purpose: 'passkey_sign_in' | 'passkey_password_reset' = 'passkey_sign_in',
  ): Promise<'hwk' | 'swk' | null> {
    let challengeHash: string;
    try {
      challengeHash = await this.takeChallenge(accountId, purpose);
    } catch {
      return null;
    }
    const passkey =
      typeof response?.id === 'string' ? await this.passkeys.findByCredentialId(response.id) : null;
    if (!passkey || passkey.accountId !== accountId) return null;
    try {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (c) => sameHash(sha256(c), challengeHash),
        expectedOrigin: this.origin,
        expectedRPID: this.rpID,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: Number(passkey.counter),
          transports: passkey.transports,
        },
        requireUserVerification: true,
      });
      if (!result.verified || !result.authenticationInfo.userVerified) return null;
      const moved = await this.passkeys.advanceCounter(
        passkey.id,
        result.authenticationInfo.newCounter,
        this.clock.now(),
      );
      if (!moved) return null;
      return passkey.multiDevice ? 'swk' : 'hwk';
    } catch {
      return null;
    }
  }

  private async storeChallenge(accountId: string, purpose: EkeyChallengePurpose, c: string) {
    await this.tx.run((tx) =>
      this.accounts.replaceChallenge(tx, {
        id: randomUUID(),
        accountId,
        purpose,
        codeHash: sha256(c),
        expiresAt: new Date(this.clock.now().getTime() + CHALLENGE_TTL_MS),
      }),
    );
  }

  /** The latest live challenge of that purpose, deleted as it is read: one answer per challenge. */
  private async takeChallenge(accountId: string, purpose: EkeyChallengePurpose): Promise<string> {
    const challenge = await this.accounts.findLatestChallenge(accountId, purpose);
    if (
      !challenge ||
      !(await this.accounts.consumeChallenge(challenge.id)) ||
      challenge.expiresAt <= this.clock.now()
    )
      throw new DomainException(EkeyErrors.PASSKEY_INVALID);
    return challenge.codeHash;
  }

  private async changed(
    tx: Tx,
    account: { id: string; cprLast3: string },
    kind: 'passkey_added' | 'passkey_removed',
    client: ClientInfo,
    details: Record<string, unknown>,
  ) {
    await this.accounts.addActivity(
      { accountId: account.id, kind, occurredAt: this.clock.now(), ...client },
      tx,
    );
    await this.audit.record(tx, {
      actor: citizenActor(account, client.ip),
      action: `ekey.credential.${kind}`,
      objectType: 'ekey_account',
      objectId: account.id,
      details,
    });
  }
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function view(p: {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  transports: string[];
}): PasskeyView {
  return {
    id: p.id,
    name: p.name,
    createdAt: p.createdAt,
    lastUsedAt: p.lastUsedAt,
    transports: p.transports,
  };
}
