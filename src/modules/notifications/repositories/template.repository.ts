import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type Tx } from '../../../platform/database/transaction-runner.js';
import { NotificationTemplateVersion } from '../entities/notification-template-version.entity.js';
import { NotificationTemplate } from '../entities/notification-template.entity.js';

@Injectable()
export class TemplateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<NotificationTemplate | null> {
    if (tx) return tx.manager.findOneBy(NotificationTemplate, { id });
    return this.dataSource.manager.findOneBy(NotificationTemplate, { id });
  }

  /** Locks the template row, so two revisions get consecutive versions. */
  findByIdForUpdate(tx: Tx, id: string): Promise<NotificationTemplate | null> {
    return tx.manager
      .getRepository(NotificationTemplate)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  findByAgencyAndCode(
    tx: Tx,
    agencyId: string,
    code: string,
  ): Promise<NotificationTemplate | null> {
    return tx.manager.findOneBy(NotificationTemplate, { agencyId, code });
  }

  findVersion(templateId: string, version: number): Promise<NotificationTemplateVersion | null> {
    return this.dataSource.manager.findOneBy(NotificationTemplateVersion, { templateId, version });
  }

  findVersionById(id: string): Promise<NotificationTemplateVersion | null> {
    return this.dataSource.manager.findOneBy(NotificationTemplateVersion, { id });
  }

  async insertTemplate(tx: Tx, row: Partial<NotificationTemplate>): Promise<NotificationTemplate> {
    const entity = tx.manager.create(NotificationTemplate, row);
    await tx.manager.save(entity);
    return entity;
  }

  async insertVersion(
    tx: Tx,
    row: Partial<NotificationTemplateVersion>,
  ): Promise<NotificationTemplateVersion> {
    const entity = tx.manager.create(NotificationTemplateVersion, row);
    await tx.manager.insert(NotificationTemplateVersion, entity);
    return entity;
  }

  async setCurrentVersion(tx: Tx, id: string, version: number): Promise<void> {
    await tx.manager.update(NotificationTemplate, { id }, { currentVersion: version });
  }
}
