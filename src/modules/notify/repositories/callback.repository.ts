import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import { CallbackEndpoint } from '../entities/callback-endpoint.entity.js';
import { DeliveryCallback } from '../entities/delivery-callback.entity.js';

export interface ClaimedCallback {
  id: string;
  apiClientId: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
  url: string;
  signingSecretCiphertext: string;
  bearerTokenCiphertext: string;
}

@Injectable()
export class CallbackRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async upsertEndpoint(
    tx: Tx,
    endpoint: Pick<
      CallbackEndpoint,
      'apiClientId' | 'url' | 'signingSecretCiphertext' | 'bearerTokenCiphertext'
    >,
  ): Promise<void> {
    await tx.manager.upsert(CallbackEndpoint, endpoint, ['apiClientId']);
  }

  findEndpoint(apiClientId: string, tx?: Tx): Promise<CallbackEndpoint | null> {
    return managerOf(this.dataSource, tx).findOneBy(CallbackEndpoint, { apiClientId });
  }

  async insertPending(
    tx: Tx,
    row: Pick<DeliveryCallback, 'apiClientId' | 'notificationId' | 'payload' | 'nextAttemptAt'>,
  ): Promise<string> {
    const [inserted] = await tx.manager.query<{ id: string }[]>(
      `INSERT INTO delivery_callback (api_client_id, notification_id, payload, next_attempt_at, status) VALUES ($1, $2, $3, $4, 'pending') RETURNING id`,
      [row.apiClientId, row.notificationId, JSON.stringify(row.payload), row.nextAttemptAt],
    );
    return inserted.id;
  }

  /** Clients that have a callback endpoint. */
  async findClientsWithEndpoint(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT api_client_id AS id FROM callback_endpoint',
    );
    return rows.map((r) => r.id);
  }

  /**
   * Callbacks derived from notification status changes; a status already owed (or sent) is
   * skipped by the unique index. Returns the ids of the new rows.
   */
  async insertDerived(
    rows: Array<{
      apiClientId: string;
      notificationId: string;
      notificationStatus: string;
      payload: Record<string, unknown>;
    }>,
  ): Promise<string[]> {
    if (!rows.length) return [];
    const inserted = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO delivery_callback (api_client_id, notification_id, notification_status, payload, next_attempt_at, status)
       SELECT x.api_client_id, x.notification_id, x.notification_status, x.payload, now(), 'pending'
         FROM jsonb_to_recordset($1::jsonb)
           AS x(api_client_id uuid, notification_id uuid, notification_status text, payload jsonb)
       ON CONFLICT (notification_id, notification_status) DO NOTHING RETURNING id`,
      [
        JSON.stringify(
          rows.map((r) => ({
            api_client_id: r.apiClientId,
            notification_id: r.notificationId,
            notification_status: r.notificationStatus,
            payload: r.payload,
          })),
        ),
      ],
    );
    return inserted.map((r) => r.id);
  }

  /** Takes a due callback for sending; null when another worker has it or it is not due. */
  async claim(id: string, lockMs: number): Promise<ClaimedCallback | null> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await this.dataSource.query<[ClaimedCallback[], number]>(
      `UPDATE delivery_callback c SET status = 'sending', locked_until = now() + $2 * interval '1 millisecond'
         FROM callback_endpoint e
        WHERE c.id = $1 AND e.api_client_id = c.api_client_id AND c.status = 'pending' AND c.next_attempt_at <= now()
        RETURNING c.id, c.api_client_id AS "apiClientId", c.payload, c.attempts, c.created_at AS "createdAt",
                  e.url, e.signing_secret_ciphertext AS "signingSecretCiphertext", e.bearer_token_ciphertext AS "bearerTokenCiphertext"`,
      [id, lockMs],
    );
    return rows[0] ?? null;
  }

  async markDelivered(id: string, statusCode: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE delivery_callback SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), locked_until = NULL, last_status_code = $2, last_error = NULL WHERE id = $1 AND status = 'sending'`,
      [id, statusCode],
    );
  }

  async markFailedAttempt(
    id: string,
    outcome: { statusCode: number | null; error: string; nextAttemptAt: Date | null },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE delivery_callback
          SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              attempts = attempts + 1, next_attempt_at = COALESCE($4, next_attempt_at), locked_until = NULL,
              last_status_code = $2, last_error = $3
        WHERE id = $1 AND status = 'sending'`,
      [id, outcome.statusCode, outcome.error.slice(0, 500), outcome.nextAttemptAt],
    );
  }

  /** Due callbacks, and ones whose worker died mid-send, to hand to the queue again. */
  async findDue(limit: number): Promise<string[]> {
    await this.dataSource.query(
      `UPDATE delivery_callback SET status = 'pending', locked_until = NULL WHERE status = 'sending' AND locked_until < now()`,
    );
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM delivery_callback WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  findById(id: string, tx?: Tx): Promise<DeliveryCallback | null> {
    return managerOf(this.dataSource, tx).findOneBy(DeliveryCallback, { id });
  }

  async resetForReplay(tx: Tx, id: string): Promise<void> {
    await tx.manager.query(
      `UPDATE delivery_callback SET status = 'pending', next_attempt_at = now(), locked_until = NULL WHERE id = $1`,
      [id],
    );
  }
}
