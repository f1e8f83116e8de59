import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../database/transaction-runner.js';
import { StaffMember } from './staff-member.entity.js';

@Injectable()
export class StaffRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<StaffMember | null> {
    return managerOf(this.dataSource, tx).findOneBy(StaffMember, { id });
  }

  /** With the password hash, for sign-in only. */
  findByEmailForLogin(email: string): Promise<StaffMember | null> {
    return this.dataSource
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('s.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  existsByEmail(email: string, tx?: Tx): Promise<boolean> {
    return managerOf(this.dataSource, tx).existsBy(StaffMember, { email: email.toLowerCase() });
  }

  count(tx?: Tx): Promise<number> {
    return managerOf(this.dataSource, tx).count(StaffMember);
  }

  countActiveAdmins(tx: Tx): Promise<number> {
    return tx.manager.countBy(StaffMember, { role: 'admin', active: true });
  }

  async insert(tx: Tx, staff: Partial<StaffMember>): Promise<StaffMember> {
    const row = tx.manager.create(StaffMember, staff);
    await tx.manager.insert(StaffMember, row);
    return row;
  }

  save(tx: Tx, staff: StaffMember): Promise<StaffMember> {
    return tx.manager.save(StaffMember, staff);
  }

  async recordLoginFailure(id: string, lockedUntil: Date | null): Promise<void> {
    await this.dataSource.query(
      'UPDATE staff_member SET failed_logins = failed_logins + 1, locked_until = COALESCE($2, locked_until) WHERE id = $1',
      [id, lockedUntil],
    );
  }

  async recordLoginSuccess(tx: Tx, id: string, at: Date, newHash?: string): Promise<void> {
    await tx.manager.query(
      'UPDATE staff_member SET failed_logins = 0, locked_until = NULL, last_login_at = $2, password_hash = COALESCE($3, password_hash) WHERE id = $1',
      [id, at, newHash ?? null],
    );
  }
}
