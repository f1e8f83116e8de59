import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import { EkeyOidcClient } from '../entities/ekey-oidc-client.entity.js';
import { EkeyOidcKey } from '../entities/ekey-oidc-key.entity.js';

export interface PayloadRow {
  payload: Record<string, unknown>;
  consumed_at: Date | null;
  expires_at: Date | null;
}

/** Storage of the OpenID provider: adapter payloads, relying parties, signing keys. */
@Injectable()
export class EkeyOidcRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async upsertPayload(
    kind: string,
    id: string,
    payload: Record<string, unknown>,
    expiresAt: Date | null,
  ): Promise<void> {
    const str = (k: string) => (typeof payload[k] === 'string' ? payload[k] : null);
    await this.ds.query(
      `INSERT INTO ekey_oidc_payload (kind, id, payload, grant_id, user_code, uid, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (kind, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
      [kind, id, payload, str('grantId'), str('userCode'), str('uid'), expiresAt],
    );
  }

  async findPayload(kind: string, by: 'id' | 'uid' | 'user_code', value: string) {
    const rows = await this.ds.query<PayloadRow[]>(
      `SELECT payload, consumed_at, expires_at FROM ekey_oidc_payload
       WHERE kind = $1 AND ${by} = $2 AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
      [kind, value],
    );
    return rows[0];
  }

  async consumePayload(kind: string, id: string): Promise<void> {
    await this.ds.query(
      'UPDATE ekey_oidc_payload SET consumed_at = now() WHERE kind = $1 AND id = $2 AND consumed_at IS NULL',
      [kind, id],
    );
  }

  async destroyPayload(kind: string, id: string): Promise<void> {
    await this.ds.query('DELETE FROM ekey_oidc_payload WHERE kind = $1 AND id = $2', [kind, id]);
  }

  /** Every code, token and grant of one grant (refresh family revocation, logout). */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.ds.query('DELETE FROM ekey_oidc_payload WHERE grant_id = $1', [grantId]);
  }

  async deleteExpired(before: Date): Promise<number> {
    const [, n] = await this.ds.query<[unknown[], number]>(
      'DELETE FROM ekey_oidc_payload WHERE expires_at < $1',
      [before],
    );
    return n;
  }

  findClientWithSecret(clientId: string): Promise<EkeyOidcClient | null> {
    return this.ds
      .getRepository(EkeyOidcClient)
      .createQueryBuilder('c')
      .addSelect('c.secretEncrypted')
      .where('c.client_id = :clientId AND c.active', { clientId })
      .getOne();
  }

  /** The API client an active relying party acts as on Diwan's APIs, or null. */
  async findApiClientOfActiveClient(clientId: string): Promise<string | null> {
    const rows = await this.ds.query<{ api_client_id: string | null }[]>(
      'SELECT api_client_id FROM ekey_oidc_client WHERE client_id = $1 AND active',
      [clientId],
    );
    return rows[0]?.api_client_id ?? null;
  }

  async insertClient(tx: Tx, client: Partial<EkeyOidcClient>): Promise<void> {
    await tx.manager.save(tx.manager.create(EkeyOidcClient, client));
  }

  existsClient(clientId: string, tx: Tx): Promise<boolean> {
    return tx.manager.existsBy(EkeyOidcClient, { clientId });
  }

  liveKeys(): Promise<EkeyOidcKey[]> {
    return this.ds
      .getRepository(EkeyOidcKey)
      .createQueryBuilder('k')
      .where('k.retired_at IS NULL')
      .orderBy('k.created_at', 'DESC')
      .getMany();
  }

  async insertKey(tx: Tx, kid: string, jwkEncrypted: string, at: Date): Promise<void> {
    await tx.manager.insert(EkeyOidcKey, { kid, jwkEncrypted, createdAt: at, retiredAt: null });
  }

  /** Keeps the newest `keep` keys published; retires older ones. */
  async retireAllBut(tx: Tx, keep: number, at: Date): Promise<void> {
    await tx.manager.query(
      `UPDATE ekey_oidc_key SET retired_at = $2 WHERE retired_at IS NULL AND kid NOT IN
       (SELECT kid FROM ekey_oidc_key WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT $1)`,
      [keep, at],
    );
  }
}
