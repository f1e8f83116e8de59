import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../platform/clock.js';
import { randomToken, sha256Hex } from '../../../platform/crypto/digest.js';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import type { EkeySession, EkeySessionStage } from '../entities/ekey-session.entity.js';
import { EKEY_SETTINGS, type EkeySettings } from '../ekey.tokens.js';
import { EkeySessionRepository } from '../repositories/ekey-session.repository.js';

/** A half-finished sign-in (password done, second factor pending) lives 5 minutes. */
export const SECOND_FACTOR_WINDOW_MS = 5 * 60_000;

export interface NewSession {
  accountId: string;
  stage: EkeySessionStage;
  amr: string[];
  deviceHash?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Sessions: 15 min idle, 12 h absolute (config). The token is random and only its hash is
 * stored; every stage change issues a new token and revokes the previous row (rotation).
 */
@Injectable()
export class EkeySessionService {
  constructor(
    private readonly sessions: EkeySessionRepository,
    private readonly clock: Clock,
    @Inject(EKEY_SETTINGS) private readonly settings: EkeySettings,
  ) {}

  async create(input: NewSession, tx?: Tx): Promise<{ token: string; session: EkeySession }> {
    const token = randomToken(32);
    const now = this.clock.now();
    const lifetime =
      input.stage === 'active' ? this.settings.sessionAbsoluteMs : SECOND_FACTOR_WINDOW_MS;
    const session = await this.sessions.insert(
      {
        tokenHash: sha256Hex(token),
        accountId: input.accountId,
        stage: input.stage,
        amr: input.amr,
        deviceHash: input.deviceHash ?? null,
        ip: input.ip ?? null,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
        createdAt: now,
        lastSeenAt: now,
        absoluteExpiresAt: new Date(now.getTime() + lifetime),
        revokedAt: null,
      },
      tx,
    );
    return { token, session };
  }

  /**
   * An active session straight after the password (no pending stage), with its activity
   * rows, in one statement. `newDevice`: the device had no active session of this account.
   */
  async startActive(input: {
    accountId: string;
    amr: string[];
    deviceHash: string;
    ip?: string | null;
    userAgent?: string | null;
  }): Promise<{ token: string; newDevice: boolean }> {
    const token = randomToken(32);
    const now = this.clock.now();
    const { newDevice } = await this.sessions.insertActiveWithActivity({
      tokenHash: sha256Hex(token),
      accountId: input.accountId,
      amr: input.amr,
      deviceHash: input.deviceHash,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      at: now,
      absoluteExpiresAt: new Date(now.getTime() + this.settings.sessionAbsoluteMs),
    });
    return { token, newDevice };
  }

  /** The live session of a token (and marks it seen), or null when unknown, revoked or expired. */
  async resolve(token: string | undefined, stage: EkeySessionStage): Promise<EkeySession | null> {
    if (!token || token.length > 100) return null;
    const session = await this.sessions.findByTokenHash(sha256Hex(token));
    const now = this.clock.now();
    if (!session || session.revokedAt || session.stage !== stage) return null;
    if (now.getTime() >= session.absoluteExpiresAt.getTime()) return null;
    if (
      stage === 'active' &&
      now.getTime() - session.lastSeenAt.getTime() >= this.settings.sessionIdleMs
    )
      return null;
    await this.sessions.touch(session.id, now);
    return session;
  }

  /** Step-up: the old token dies, a new one carries the added methods. */
  async rotate(
    old: EkeySession,
    stage: EkeySessionStage,
    amr: string[],
    tx?: Tx,
  ): Promise<{ token: string; session: EkeySession } | null> {
    if (!(await this.sessions.revoke(old.id, this.clock.now(), tx))) return null;
    return this.create(
      {
        accountId: old.accountId,
        stage,
        amr,
        deviceHash: old.deviceHash,
        ip: old.ip,
        userAgent: old.userAgent,
      },
      tx,
    );
  }

  revoke(id: string): Promise<boolean> {
    return this.sessions.revoke(id, this.clock.now());
  }

  revokeOfAccountById(accountId: string, id: string): Promise<boolean> {
    return this.sessions.revokeOfAccountById(accountId, id, this.clock.now());
  }

  listLive(accountId: string): Promise<EkeySession[]> {
    return this.sessions.listLiveOfAccount(
      accountId,
      this.clock.now(),
      this.settings.sessionIdleMs,
    );
  }

  hasSeenDevice(accountId: string, deviceHash: string): Promise<boolean> {
    return this.sessions.hasSeenDevice(accountId, deviceHash);
  }
}
