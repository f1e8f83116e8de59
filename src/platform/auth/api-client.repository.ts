import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../database/transaction-runner.js';
import { ApiClient } from './api-client.entity.js';

@Injectable()
export class ApiClientRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByKeyIdWithSecret(keyId: string): Promise<ApiClient | null> {
    return this.dataSource
      .getRepository(ApiClient)
      .createQueryBuilder('c')
      .addSelect('c.secretHash')
      .where('c.key_id = :keyId', { keyId })
      .getOne();
  }

  findById(id: string, tx?: Tx): Promise<ApiClient | null> {
    return managerOf(this.dataSource, tx).findOneBy(ApiClient, { id });
  }

  async insert(tx: Tx, client: Partial<ApiClient>): Promise<ApiClient> {
    const row = tx.manager.create(ApiClient, client);
    await tx.manager.insert(ApiClient, row);
    return row;
  }

  async markRevoked(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.manager.update(ApiClient, { id }, { revokedAt: at });
  }

  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE api_client SET last_used_at = $2 WHERE id = $1', [id, at]);
  }
}
