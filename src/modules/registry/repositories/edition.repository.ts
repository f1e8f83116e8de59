import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import type { EditionStatus } from '../domain/edition-status.js';
import { ServiceEdition } from '../entities/service-edition.entity.js';
import { Service } from '../entities/service.entity.js';

/** Writes and small reads of services and their editions (the workflow's side). */
@Injectable()
export class EditionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findServiceByCode(code: string, tx?: Tx): Promise<Service | null> {
    return managerOf(this.dataSource, tx).findOneBy(Service, { code });
  }

  findServiceById(id: string, tx?: Tx): Promise<Service | null> {
    return managerOf(this.dataSource, tx).findOneBy(Service, { id });
  }

  findEditionById(id: string, tx?: Tx): Promise<ServiceEdition | null> {
    return managerOf(this.dataSource, tx).findOneBy(ServiceEdition, { id });
  }

  /** The edition, row-locked until the transaction ends, so two transitions never interleave. */
  lockEdition(tx: Tx, id: string): Promise<ServiceEdition | null> {
    return tx.manager
      .getRepository(ServiceEdition)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :id', { id })
      .getOne();
  }

  /** Locks the service row: serialises edition creation and publication per service. */
  lockService(tx: Tx, id: string): Promise<Service | null> {
    return tx.manager
      .getRepository(Service)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id })
      .getOne();
  }

  findWorkingEdition(serviceId: string, tx?: Tx): Promise<ServiceEdition | null> {
    return managerOf(this.dataSource, tx)
      .getRepository(ServiceEdition)
      .createQueryBuilder('e')
      .where('e.service_id = :serviceId', { serviceId })
      .andWhere("e.status IN ('draft', 'in_review', 'amends_needed')")
      .getOne();
  }

  findPublishedEdition(serviceId: string, tx?: Tx): Promise<ServiceEdition | null> {
    return managerOf(this.dataSource, tx).findOneBy(ServiceEdition, {
      serviceId,
      status: 'published',
    });
  }

  async lastEditionNumber(tx: Tx, serviceId: string): Promise<number> {
    const [row] = await tx.manager.query<{ n: number | null }[]>(
      'SELECT max(edition_number) AS n FROM service_edition WHERE service_id = $1',
      [serviceId],
    );
    return row?.n ?? 0;
  }

  /** The next free number for a new service of the agency (codes are never reused). */
  async nextServiceNumber(tx: Tx, agencyCode: string): Promise<number> {
    const [row] = await tx.manager.query<{ n: number | null }[]>(
      `SELECT max(substring(code from '-([0-9]+)$')::int) AS n FROM service WHERE code LIKE $1`,
      [`${agencyCode}-%`],
    );
    return (row?.n ?? 0) + 1;
  }

  async insertService(tx: Tx, service: Partial<Service>): Promise<Service> {
    const row = tx.manager.create(Service, service);
    await tx.manager.insert(Service, row);
    return row;
  }

  saveService(tx: Tx, service: Service): Promise<Service> {
    return tx.manager.save(Service, service);
  }

  async insertEdition(tx: Tx, edition: Partial<ServiceEdition>): Promise<ServiceEdition> {
    const row = tx.manager.create(ServiceEdition, edition);
    await tx.manager.insert(ServiceEdition, row);
    return row;
  }

  saveEdition(tx: Tx, edition: ServiceEdition): Promise<ServiceEdition> {
    return tx.manager.save(ServiceEdition, edition);
  }

  /** Editions approved for a time that has come, oldest first. */
  async findDueEditionIds(now: Date, limit = 100): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM service_edition WHERE status = 'in_review' AND scheduled_at IS NOT NULL
       AND scheduled_at <= $1 ORDER BY scheduled_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  async setPopularity(tx: Tx, serviceId: string, popularity: number): Promise<void> {
    await tx.manager.query('UPDATE service SET popularity = $2 WHERE id = $1', [
      serviceId,
      popularity,
    ]);
  }

  /** For the back office's completeness view: the current edition of each service. */
  async currentEditions(
    agencyId: string | null,
  ): Promise<{ code: string; agencyId: string; status: EditionStatus; content: unknown }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (s.id) s.code, s.agency_id AS "agencyId", e.status, e.content
       FROM service s JOIN service_edition e ON e.service_id = s.id
       WHERE ($1::uuid IS NULL OR s.agency_id = $1) AND e.status IN ('draft', 'in_review', 'amends_needed', 'published')
       ORDER BY s.id, e.edition_number DESC`,
      [agencyId],
    );
  }
}
