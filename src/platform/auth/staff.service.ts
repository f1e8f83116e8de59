import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock.js';
import { type SecurityConfig } from '../config/config.js';
import { SECURITY_CONFIG } from '../config/config.tokens.js';
import { PasswordHasher } from '../crypto/password-hasher.js';
import { type Tx, TransactionRunner } from '../database/transaction-runner.js';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import { ROOT_LOGGER } from '../logging/logger.tokens.js';
import { AuthErrors } from './auth.errors.js';
import { requireRole } from './access.js';
import { AGENCY_BOUND_ROLES, type Actor, type StaffRole } from './roles.js';
import type { StaffMember } from './staff-member.entity.js';
import { StaffRepository } from './staff.repository.js';

export interface StaffInput {
  email: string;
  name: string;
  role: StaffRole;
  agencyId?: string | null;
  password: string;
}

export type StaffUpdate = Partial<Omit<StaffInput, 'email'>> & { active?: boolean };

const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;
const MIN_STAFF_PASSWORD = 12;

export function staffActor(
  s: Pick<StaffMember, 'id' | 'email' | 'role' | 'agencyId'>,
  ip?: string,
): Actor {
  return { type: 'staff', id: s.id, label: s.email, role: s.role, agencyId: s.agencyId, ip };
}

/** Back-office accounts: who they are, what they may do, and signing them in. */
@Injectable()
export class StaffService {
  constructor(
    private readonly repo: StaffRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    @Inject(SECURITY_CONFIG) private readonly security: SecurityConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns the account, or null for unknown email, wrong password or locked account alike. */
  async authenticate(email: string, password: string, ip?: string): Promise<StaffMember | null> {
    const staff = await this.repo.findByEmailForLogin(email.trim());
    if (!staff || !staff.active) {
      await this.hasher.dummyVerify();
      await this.audit.recordAlone({
        actor: { type: 'anonymous', id: null, label: 'unknown', ip },
        action: 'auth.staff_login',
        objectType: 'staff_member',
        outcome: 'failure',
        details: { reason: staff ? 'inactive' : 'unknown_account' },
      });
      return null;
    }
    const now = this.clock.now();
    const locked = staff.lockedUntil && staff.lockedUntil > now;
    const { ok, needsRehash } = await this.hasher.verify(staff.passwordHash, password);
    if (locked || !ok) {
      const lockedUntil =
        !locked && staff.failedLogins + 1 >= LOCK_AFTER_FAILURES
          ? new Date(now.getTime() + LOCK_MINUTES * 60_000)
          : null;
      await this.repo.recordLoginFailure(staff.id, lockedUntil);
      await this.audit.recordAlone({
        actor: staffActor(staff, ip),
        action: 'auth.staff_login',
        objectType: 'staff_member',
        objectId: staff.id,
        outcome: 'failure',
        details: { reason: locked ? 'locked' : 'bad_password', locked: Boolean(lockedUntil) },
      });
      return null;
    }
    const newHash = needsRehash ? await this.hasher.hash(password) : undefined;
    await this.tx.run(async (tx) => {
      await this.repo.recordLoginSuccess(tx, staff.id, now, newHash);
      await this.audit.record(tx, {
        actor: staffActor(staff, ip),
        action: 'auth.staff_login',
        objectType: 'staff_member',
        objectId: staff.id,
      });
    });
    return staff;
  }

  async getById(id: string): Promise<StaffMember> {
    const staff = await this.repo.findById(id);
    if (!staff) throw new DomainException(PlatformErrors.NOT_FOUND, 'No such staff member');
    return staff;
  }

  async create(actor: Actor, input: StaffInput): Promise<StaffMember> {
    requireRole(actor, 'admin');
    this.checkRoleAgency(input.role, input.agencyId ?? null);
    this.checkPassword(input.password);
    const passwordHash = await this.hasher.hash(input.password);
    return this.tx.run((tx) => this.insert(tx, actor, input, passwordHash));
  }

  async update(actor: Actor, id: string, patch: StaffUpdate): Promise<StaffMember> {
    requireRole(actor, 'admin');
    if (patch.password !== undefined) this.checkPassword(patch.password);
    const passwordHash = patch.password ? await this.hasher.hash(patch.password) : undefined;
    return this.tx.run(async (tx) => {
      const staff = await this.repo.findById(id, tx);
      if (!staff) throw new DomainException(PlatformErrors.NOT_FOUND, 'No such staff member');
      const wasActiveAdmin = staff.role === 'admin' && staff.active;
      if (patch.name !== undefined) staff.name = patch.name;
      if (patch.role !== undefined) staff.role = patch.role;
      if (patch.agencyId !== undefined) staff.agencyId = patch.agencyId;
      if (patch.active !== undefined) staff.active = patch.active;
      if (!AGENCY_BOUND_ROLES.includes(staff.role)) staff.agencyId = null;
      this.checkRoleAgency(staff.role, staff.agencyId);
      if (
        wasActiveAdmin &&
        !(staff.role === 'admin' && staff.active) &&
        (await this.repo.countActiveAdmins(tx)) <= 1
      ) {
        throw new DomainException(AuthErrors.STAFF_LAST_ADMIN);
      }
      if (passwordHash) Object.assign(staff, { passwordHash, failedLogins: 0, lockedUntil: null });
      const saved = await this.repo.save(tx, staff);
      const changed = Object.keys(patch).filter((k) => patch[k as keyof StaffUpdate] !== undefined);
      await this.audit.record(tx, {
        actor,
        action: 'staff.update',
        objectType: 'staff_member',
        objectId: id,
        details: { changed },
      });
      return saved;
    });
  }

  /**
   * First start with an empty database: creates the `admin` account. Without ADMIN_PASSWORD
   * a one-time password is generated and printed once; it must be changed at first sign-in.
   */
  async ensureFirstAdmin(): Promise<{
    created: boolean;
    email: string;
    generatedPassword?: string;
  }> {
    const email = this.security.adminEmail;
    if ((await this.repo.count()) > 0) return { created: false, email };
    const generatedPassword = this.security.adminPassword
      ? undefined
      : randomBytes(12).toString('base64url');
    const password = this.security.adminPassword ?? generatedPassword!;
    const passwordHash = await this.hasher.hash(password);
    const system: Actor = { type: 'system', id: 'bootstrap', label: 'first start' };
    await this.tx.run(async (tx) => {
      if ((await this.repo.count(tx)) > 0) return;
      const staff = await this.insert(
        tx,
        system,
        { email, name: 'Administrator', role: 'admin', password },
        passwordHash,
      );
      staff.mustChangePassword = Boolean(generatedPassword);
      await this.repo.save(tx, staff);
    });
    if (generatedPassword)
      this.logger.warn(
        { email },
        'created the first admin account; its one-time password is printed below, once',
      );
    return { created: true, email, generatedPassword };
  }

  private async insert(
    tx: Tx,
    actor: Actor,
    input: StaffInput,
    passwordHash: string,
  ): Promise<StaffMember> {
    if (await this.repo.existsByEmail(input.email, tx)) {
      throw new DomainException(AuthErrors.STAFF_EMAIL_TAKEN, undefined, [
        { field: 'email', message: 'already used', reason: 'unique' },
      ]);
    }
    const staff = await this.repo.insert(tx, {
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      agencyId: AGENCY_BOUND_ROLES.includes(input.role) ? (input.agencyId ?? null) : null,
      passwordHash,
    });
    await this.audit.record(tx, {
      actor,
      action: 'staff.create',
      objectType: 'staff_member',
      objectId: staff.id,
      details: { email: staff.email, role: staff.role, agencyId: staff.agencyId },
    });
    return staff;
  }

  private checkRoleAgency(role: StaffRole, agencyId: string | null): void {
    if (AGENCY_BOUND_ROLES.includes(role) && !agencyId) {
      throw new DomainException(AuthErrors.STAFF_AGENCY_REQUIRED, undefined, [
        { field: 'agencyId', message: `required for ${role}`, reason: 'required' },
      ]);
    }
  }

  private checkPassword(password: string): void {
    if ([...password.normalize('NFKC')].length < MIN_STAFF_PASSWORD) {
      throw new DomainException(AuthErrors.STAFF_PASSWORD_TOO_SHORT, undefined, [
        {
          field: 'password',
          message: `at least ${MIN_STAFF_PASSWORD} characters`,
          reason: 'too_short',
        },
      ]);
    }
  }
}
