import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import { NotifyApiKey } from '../entities/notify-api-key.entity.js';

@Injectable()
export class NotifyApiKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Unrevoked keys of a service, with their encrypted secrets, newest first. */
  findActiveWithSecretsByClient(apiClientId: string): Promise<NotifyApiKey[]> {
    return this.dataSource
      .getRepository(NotifyApiKey)
      .createQueryBuilder('k')
      .addSelect('k.secretCiphertext')
      .where('k.api_client_id = :apiClientId AND k.revoked_at IS NULL', { apiClientId })
      .orderBy('k.created_at', 'DESC')
      .getMany();
  }

  findById(id: string, tx?: Tx): Promise<NotifyApiKey | null> {
    return managerOf(this.dataSource, tx).findOneBy(NotifyApiKey, { id });
  }

  async insert(tx: Tx, key: Partial<NotifyApiKey>): Promise<NotifyApiKey> {
    const row = tx.manager.create(NotifyApiKey, key);
    await tx.manager.insert(NotifyApiKey, row);
    return row;
  }

  async markRevoked(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.manager.update(NotifyApiKey, { id }, { revokedAt: at });
  }
}
