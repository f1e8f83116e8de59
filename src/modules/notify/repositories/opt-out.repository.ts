import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';

@Injectable()
export class OptOutRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async existsForAny(
    subjectHashes: string[],
    agencyId: string,
    channel: string,
    tx?: Tx,
  ): Promise<boolean> {
    if (!subjectHashes.length) return false;
    const rows = await managerOf(this.dataSource, tx).query<unknown[]>(
      'SELECT 1 FROM notification_opt_out WHERE subject_hash = ANY($1) AND agency_id = $2 AND channel = $3 LIMIT 1',
      [subjectHashes, agencyId, channel],
    );
    return rows.length > 0;
  }

  /** Idempotent: opting out twice keeps the first record. Returns whether it was new. */
  async insertIfAbsent(
    tx: Tx,
    row: { subjectHash: string; agencyId: string; channel: string; source: string },
  ): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(
      `INSERT INTO notification_opt_out (subject_hash, agency_id, channel, source) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_hash, agency_id, channel) DO NOTHING RETURNING id`,
      [row.subjectHash, row.agencyId, row.channel, row.source],
    );
    return rows.length > 0;
  }

  async delete(tx: Tx, subjectHash: string, agencyId: string, channel: string): Promise<void> {
    await tx.manager.query(
      'DELETE FROM notification_opt_out WHERE subject_hash = $1 AND agency_id = $2 AND channel = $3',
      [subjectHash, agencyId, channel],
    );
  }
}
