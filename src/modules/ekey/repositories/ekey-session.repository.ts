import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import { EkeySession } from '../entities/ekey-session.entity.js';

@Injectable()
export class EkeySessionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(session: Partial<EkeySession>, tx?: Tx): Promise<EkeySession> {
    const m = managerOf(this.ds, tx);
    const row = m.create(EkeySession, session);
    await m.insert(EkeySession, row);
    return row;
  }

  /**
   * A first-factor sign-in's writes in one statement (atomic, one round trip): the active
   * session, the `sign_in` activity, and `new_device` when the device had no active
   * session of this account before. Returns the session id and whether the device is new.
   */
  async insertActiveWithActivity(s: {
    tokenHash: string;
    accountId: string;
    amr: string[];
    deviceHash: string;
    ip: string | null;
    userAgent: string | null;
    at: Date;
    absoluteExpiresAt: Date;
  }): Promise<{ id: string; newDevice: boolean }> {
    const [row] = await this.ds.query<{ id: string; seen: boolean }[]>(
      `WITH seen AS (
         SELECT EXISTS (SELECT 1 FROM ekey_session
                        WHERE account_id = $2 AND device_hash = $4 AND stage = 'active') AS seen),
       s AS (
         INSERT INTO ekey_session (token_hash, account_id, stage, amr, device_hash, ip, user_agent,
                                   created_at, last_seen_at, absolute_expires_at)
         VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $7, $8) RETURNING id),
       act AS (
         INSERT INTO ekey_activity (account_id, kind, occurred_at, ip, user_agent)
         SELECT $2, k, $7, $5, $6 FROM seen,
           unnest(CASE WHEN seen.seen THEN ARRAY['sign_in'] ELSE ARRAY['sign_in', 'new_device'] END) k)
       SELECT (SELECT id FROM s) AS id, (SELECT seen FROM seen) AS seen`,
      [s.tokenHash, s.accountId, s.amr, s.deviceHash, s.ip, s.userAgent, s.at, s.absoluteExpiresAt],
    );
    return { id: row.id, newDevice: !row.seen };
  }

  findByTokenHash(tokenHash: string): Promise<EkeySession | null> {
    return this.ds.manager.findOneBy(EkeySession, { tokenHash });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.ds.query('UPDATE ekey_session SET last_seen_at = $2 WHERE id = $1', [id, at]);
  }

  async revoke(id: string, at: Date, tx?: Tx): Promise<boolean> {
    const rows = await managerOf(this.ds, tx).query<[unknown[], number]>(
      'UPDATE ekey_session SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id, at],
    );
    return rows[1] === 1;
  }

  async revokeOfAccount(accountId: string, at: Date, tx?: Tx): Promise<number> {
    const rows = await managerOf(this.ds, tx).query<[unknown[], number]>(
      'UPDATE ekey_session SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL RETURNING id',
      [accountId, at],
    );
    return rows[1];
  }

  async revokeOfAccountById(accountId: string, id: string, at: Date): Promise<boolean> {
    const rows = await this.ds.query<[unknown[], number]>(
      'UPDATE ekey_session SET revoked_at = $3 WHERE id = $2 AND account_id = $1 AND revoked_at IS NULL RETURNING id',
      [accountId, id, at],
    );
    return rows[1] === 1;
  }

  listLiveOfAccount(accountId: string, now: Date, idleMs: number): Promise<EkeySession[]> {
    return this.ds
      .getRepository(EkeySession)
      .createQueryBuilder('s')
      .where("s.account_id = :accountId AND s.revoked_at IS NULL AND s.stage = 'active'", {
        accountId,
      })
      .andWhere('s.absolute_expires_at > :now AND s.last_seen_at > :idle', {
        now,
        idle: new Date(now.getTime() - idleMs),
      })
      .orderBy('s.last_seen_at', 'DESC')
      .getMany();
  }

  async hasSeenDevice(accountId: string, deviceHash: string): Promise<boolean> {
    return this.ds.manager.existsBy(EkeySession, { accountId, deviceHash, stage: 'active' });
  }
}
