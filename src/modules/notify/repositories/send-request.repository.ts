import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface SendRequestRow {
  requestHash: string;
  notificationId: string;
  responseStatus: number | null;
  responseBody: Record<string, unknown> | null;
  claimExpired: boolean;
}

/** `Idempotency-Key`s of `POST /v1/notifications`: the unique index decides who sends. */
@Injectable()
export class SendRequestRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Claims the key for this request; null when another request holds (or answered) it. */
  async claim(
    apiClientId: string,
    key: string,
    requestHash: string,
    notificationId: string,
    leaseMs: number,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO notify_send_request (api_client_id, idempotency_key, request_hash, notification_id, claimed_until)
       VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
       ON CONFLICT (api_client_id, idempotency_key) DO NOTHING RETURNING id`,
      [apiClientId, key, requestHash, notificationId, leaseMs],
    );
    return rows.length > 0;
  }

  async find(apiClientId: string, key: string): Promise<SendRequestRow | null> {
    const rows = await this.dataSource.query<SendRequestRow[]>(
      `SELECT request_hash AS "requestHash", notification_id AS "notificationId", response_status AS "responseStatus",
              response_body AS "responseBody", claimed_until < now() AS "claimExpired"
         FROM notify_send_request WHERE api_client_id = $1 AND idempotency_key = $2`,
      [apiClientId, key],
    );
    return rows[0] ?? null;
  }

  /** Takes over an unanswered key whose first request went away. */
  async takeOver(apiClientId: string, key: string, leaseMs: number): Promise<boolean> {
    const [rows] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE notify_send_request SET claimed_until = now() + $3 * interval '1 millisecond'
        WHERE api_client_id = $1 AND idempotency_key = $2 AND response_status IS NULL AND claimed_until < now()
        RETURNING id`,
      [apiClientId, key, leaseMs],
    );
    return rows.length > 0;
  }

  async answer(
    apiClientId: string,
    key: string,
    status: number,
    body: Record<string, unknown>,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notify_send_request SET response_status = $3, response_body = $4 WHERE api_client_id = $1 AND idempotency_key = $2`,
      [apiClientId, key, status, JSON.stringify(body)],
    );
  }

  /** The send was refused: the key is free again, so a corrected retry may use it. */
  async release(apiClientId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM notify_send_request WHERE api_client_id = $1 AND idempotency_key = $2 AND response_status IS NULL`,
      [apiClientId, key],
    );
  }
}

/** Notifications addressed by eKey account, whose contact the e-service must not see. */
@Injectable()
export class EkeyAddressedRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Written before the notification, with its chosen id: never a moment the contact shows. */
  async mark(notificationId: string): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO notify_ekey_addressed (notification_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [notificationId],
    );
  }

  async which(notificationIds: string[]): Promise<Set<string>> {
    if (!notificationIds.length) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT notification_id AS id FROM notify_ekey_addressed WHERE notification_id = ANY($1::uuid[])',
      [notificationIds],
    );
    return new Set(rows.map((r) => r.id));
  }
}
