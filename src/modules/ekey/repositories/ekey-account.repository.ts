import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, IsNull } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import type { FailureKind, ThrottleState } from '../domain/throttle-policy.js';
import { EkeyAccount } from '../entities/ekey-account.entity.js';
import { EkeyActivity, type EkeyActivityKind } from '../entities/ekey-activity.entity.js';
import { EkeyBackupCode } from '../entities/ekey-backup-code.entity.js';
import { EkeyChallenge, type EkeyChallengePurpose } from '../entities/ekey-challenge.entity.js';

/** The unique partial index that allows one active eKey per CPR (see the migration). */
export const ONE_ACTIVE_PER_CPR_INDEX = 'uq_ekey_account_active_cpr';

export interface ReservedGuess {
  codeHash: string;
  expiresAt: Date;
  /** Wrong guesses before this one. */
  attempts: number;
}

@Injectable()
export class EkeyAccountRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(tx: Tx, account: Partial<EkeyAccount>): Promise<EkeyAccount> {
    const row = tx.manager.create(EkeyAccount, account);
    await tx.manager.insert(EkeyAccount, row);
    return row;
  }

  findById(id: string, tx?: Tx): Promise<EkeyAccount | null> {
    return managerOf(this.ds, tx).findOneBy(EkeyAccount, { id });
  }

  /** The active account of a CPR, with its password hash, for sign-in only. */
  private signInColumns: string | undefined;

  /**
   * The sign-in's one read: the active account of a CPR hash (with its password hash) and
   * the failure runs of that CPR hash, unknown CPRs included, in one round trip and without
   * the query builder (the hot path of every sign-in).
   */
  async findForSignIn(
    cprHash: string,
  ): Promise<{ account: EkeyAccount | null; throttle: ThrottleState }> {
    this.signInColumns ??= this.ds
      .getMetadata(EkeyAccount)
      .columns.map(
        (c) => `a.${c.databaseName}${c.type === 'date' ? '::text' : ''} AS "${c.propertyName}"`,
      )
      .join(', ');
    const rows = await this.ds.query<
      (Record<string, unknown> & {
        throttle: { kind: FailureKind; failures: number; at: string | null }[];
      })[]
    >(
      `SELECT ${this.signInColumns},
         (SELECT coalesce(json_agg(json_build_object('kind', t.kind, 'failures', t.failures, 'at', t.last_failure_at)), '[]'::json)
            FROM ekey_throttle t WHERE t.cpr_hash = $1) AS throttle
       FROM (SELECT 1) one
       LEFT JOIN ekey_account a ON a.cpr_hash = $1 AND a.status = 'active'`,
      [cprHash],
    );
    const { throttle, ...row } = rows[0];
    const run = (kind: FailureKind) => {
      const r = throttle.find((x) => x.kind === kind);
      return r ? { count: r.failures, lastAt: r.at ? new Date(r.at) : undefined } : { count: 0 };
    };
    return {
      account: row.id ? Object.assign(new EkeyAccount(), row) : null,
      throttle: { password: run('password'), code: run('code') },
    };
  }

  findActiveByCprHashForSignIn(cprHash: string): Promise<EkeyAccount | null> {
    return this.ds
      .getRepository(EkeyAccount)
      .createQueryBuilder('a')
      .addSelect(['a.passwordHash', 'a.totpSecretEncrypted'])
      .where("a.cpr_hash = :cprHash AND a.status = 'active'", { cprHash })
      .getOne();
  }

  findWithSecrets(id: string, tx?: Tx): Promise<EkeyAccount | null> {
    return managerOf(this.ds, tx)
      .getRepository(EkeyAccount)
      .createQueryBuilder('a')
      .addSelect(['a.passwordHash', 'a.totpSecretEncrypted'])
      .where('a.id = :id', { id })
      .getOne();
  }

  async existsActiveByCprHash(cprHash: string, tx?: Tx): Promise<boolean> {
    return managerOf(this.ds, tx).existsBy(EkeyAccount, { cprHash, status: 'active' });
  }

  /** Pending → active; throws the unique violation when another account of the CPR won. */
  async activate(tx: Tx, id: string, at: Date): Promise<boolean> {
    const rows = await tx.manager.query<[unknown[], number]>(
      `UPDATE ekey_account SET status = 'active', activated_at = $2, mobile_verified_at = $2, updated_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, at],
    );
    return rows[1] === 1;
  }

  async setPasswordHash(id: string, hash: string, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      'UPDATE ekey_account SET password_hash = $2, updated_at = now() WHERE id = $1',
      [id, hash],
    );
  }

  async setLevel(
    tx: Tx,
    id: string,
    level: { level: 'advanced'; channel: string; evidenceRef: string; by: string; at: Date },
  ): Promise<void> {
    await tx.manager.query(
      `UPDATE ekey_account SET level = $2, level_evidence_ref = $3, level_verified_by = $4,
       level_verified_at = $5, updated_at = now() WHERE id = $1`,
      [id, level.level, level.evidenceRef, level.by, level.at],
    );
  }

  async setTotp(tx: Tx, id: string, secretEncrypted: string, at: Date, step: number) {
    await tx.manager.query(
      `UPDATE ekey_account SET totp_secret_encrypted = $2, totp_enabled_at = $3, totp_last_step = $4,
       updated_at = now() WHERE id = $1`,
      [id, secretEncrypted, at, step],
    );
  }

  /**
   * Moves the last used TOTP step forward, atomically: two requests with the same code
   * cannot both succeed. False when the step was already used (a replay).
   */
  async advanceTotpStep(id: string, step: number): Promise<boolean> {
    const rows = await this.ds.query<[unknown[], number]>(
      `UPDATE ekey_account SET totp_last_step = $2
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step],
    );
    return rows[1] === 1;
  }

  /** A new address, not verified yet. */
  async setEmail(tx: Tx, id: string, emailEncrypted: string): Promise<void> {
    await tx.manager.query(
      'UPDATE ekey_account SET email_encrypted = $2, email_verified_at = NULL, updated_at = now() WHERE id = $1',
      [id, emailEncrypted],
    );
  }

  /** Verified, only if the address is still the one the code was sent to. */
  async markEmailVerified(tx: Tx, id: string, emailEncrypted: string, at: Date): Promise<boolean> {
    const rows = await tx.manager.query<[unknown[], number]>(
      `UPDATE ekey_account SET email_verified_at = $3, updated_at = now()
       WHERE id = $1 AND email_encrypted = $2 RETURNING id`,
      [id, emailEncrypted, at],
    );
    return rows[1] === 1;
  }

  // --- one-time codes -------------------------------------------------------------

  async replaceChallenge(
    tx: Tx,
    c: {
      id: string;
      accountId: string;
      purpose: EkeyChallengePurpose;
      codeHash: string;
      expiresAt: Date;
    },
  ): Promise<void> {
    await tx.manager.delete(EkeyChallenge, { accountId: c.accountId, purpose: c.purpose });
    await tx.manager.insert(EkeyChallenge, { ...c, attempts: 0 });
  }

  findChallenge(id: string, accountId: string, purpose: EkeyChallengePurpose) {
    return this.ds.manager.findOneBy(EkeyChallenge, { id, accountId, purpose });
  }

  findLatestChallenge(accountId: string, purpose: EkeyChallengePurpose) {
    return this.ds.manager.findOne(EkeyChallenge, {
      where: { accountId, purpose },
      order: { createdAt: 'DESC' },
    });
  }

  /**
   * Takes one of the five guesses before the code is compared, in one statement, so
   * parallel guesses can never exceed the limit. Null when none is left (or no challenge).
   */
  async reserveGuess(id: string): Promise<ReservedGuess | null> {
    const [rows] = await this.ds.query<
      [{ code_hash: string; expires_at: Date; before: number }[], number]
    >(
      `UPDATE ekey_challenge SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2
       RETURNING code_hash, expires_at, attempts - 1 AS before`,
      [id, 5],
    );
    const row = rows[0];
    return row
      ? { codeHash: row.code_hash, expiresAt: row.expires_at, attempts: row.before }
      : null;
  }

  /** Deletes the challenge; true for the one caller that did (the code is used once). */
  async consumeChallenge(id: string, tx?: Tx): Promise<boolean> {
    const rows = await managerOf(this.ds, tx).query<[unknown[], number]>(
      'DELETE FROM ekey_challenge WHERE id = $1 RETURNING id',
      [id],
    );
    return rows[1] === 1;
  }

  // --- backup codes ---------------------------------------------------------------

  async replaceBackupCodes(tx: Tx, accountId: string, hashes: string[]): Promise<void> {
    await tx.manager.delete(EkeyBackupCode, { accountId });
    await tx.manager.insert(
      EkeyBackupCode,
      hashes.map((codeHash) => ({ accountId, codeHash })),
    );
  }

  /** `UPDATE … WHERE used_at IS NULL RETURNING`: exactly one of any number of racers wins. */
  async consumeBackupCode(accountId: string, codeHash: string, at: Date): Promise<boolean> {
    const rows = await this.ds.query<[unknown[], number]>(
      `UPDATE ekey_backup_code SET used_at = $3
       WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [accountId, codeHash, at],
    );
    return rows[1] === 1;
  }

  async countUnusedBackupCodes(accountId: string): Promise<number> {
    return this.ds.manager.count(EkeyBackupCode, {
      where: { accountId, usedAt: IsNull() },
    });
  }

  // --- activity -------------------------------------------------------------------

  async addActivity(
    entry: {
      accountId: string;
      kind: EkeyActivityKind;
      occurredAt: Date;
      ip?: string | null;
      userAgent?: string | null;
    },
    tx?: Tx,
  ): Promise<void> {
    await managerOf(this.ds, tx).insert(EkeyActivity, {
      ...entry,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent?.slice(0, 300) ?? null,
    });
  }

  listActivity(accountId: string, limit: number): Promise<EkeyActivity[]> {
    return this.ds.manager.find(EkeyActivity, {
      where: { accountId },
      order: { occurredAt: 'DESC' },
      take: limit,
    });
  }
}
