import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../database/transaction-runner.js';
import { Agency } from './agency.entity.js';

@Injectable()
export class AgencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findAll(): Promise<Agency[]> {
    return this.dataSource.getRepository(Agency).find({ order: { code: 'ASC' } });
  }

  findById(id: string, tx?: Tx): Promise<Agency | null> {
    return managerOf(this.dataSource, tx).findOneBy(Agency, { id });
  }

  findByCode(code: string, tx?: Tx): Promise<Agency | null> {
    return managerOf(this.dataSource, tx).findOneBy(Agency, { code: code.toUpperCase() });
  }

  async insert(tx: Tx, agency: Partial<Agency>): Promise<Agency> {
    const row = tx.manager.create(Agency, agency);
    await tx.manager.insert(Agency, row);
    return row;
  }

  save(tx: Tx, agency: Agency): Promise<Agency> {
    return tx.manager.save(Agency, agency);
  }
}
