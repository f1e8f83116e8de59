import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';

/** What the registry's exported RegistryService gives for a published service. */
interface PublishedService {
  code: string;
  agencyCode: string;
}
interface RegistryLike {
  findPublishedByCode(code: string): Promise<PublishedService | null>;
  publishedAgencyByCode(): Promise<Map<string, string>>;
}

/** Where the registry module keeps its exported service (CONVENTIONS.md layout). */
const REGISTRY_SERVICE_MODULE = '../../registry/services/registry.service.js';

/**
 * The registry, seen from payments: only through its exported `RegistryService`. The registry
 * module is built in parallel; when it is not wired in this process, every well-formed code is
 * accepted (`available` is false) rather than refusing all payments.
 */
@Injectable()
export class ServiceCatalog implements OnModuleInit {
  private registry: RegistryLike | null = null;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.payments.checkServices) return;
    try {
      const mod = (await import(REGISTRY_SERVICE_MODULE)) as { RegistryService?: unknown };
      if (typeof mod.RegistryService !== 'function') return;
      const found = this.moduleRef.get(mod.RegistryService, {
        strict: false,
      });
      if (typeof found?.findPublishedByCode === 'function') this.registry = found;
    } catch {
      this.registry = null;
    }
  }

  get available(): boolean {
    return this.registry !== null;
  }

  /**
   * Every published service, read before a transaction opens: inside one, a query on another
   * connection would wait for it forever on the embedded database.
   */
  async snapshot(): Promise<Map<string, PublishedService> | undefined> {
    if (!this.registry) return undefined;
    const byCode = await this.registry.publishedAgencyByCode();
    return new Map([...byCode].map(([code, agencyCode]) => [code, { code, agencyCode }]));
  }

  /**
   * Published services by code; `undefined` when the registry cannot tell (not wired). A batch
   * with one service code asks for that code; one with more reads the registry's code → agency
   * list in one query (`publishedAgencyByCode`) instead of one query per code in turn: a
   * 1,000-row batch names up to dozens of services, and each round trip waited for a core.
   */
  async lookup(codes: string[]): Promise<Map<string, PublishedService | null> | undefined> {
    if (!this.registry) return undefined;
    const distinct = [...new Set(codes)];
    if (distinct.length === 1)
      return new Map([[distinct[0], await this.registry.findPublishedByCode(distinct[0])]]);
    const published = (await this.snapshot())!;
    return new Map(distinct.map((code) => [code, published.get(code) ?? null]));
  }
}
