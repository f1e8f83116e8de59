import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import { EkeyStatsRepository } from '../repositories/ekey-stats.repository.js';
import { EkeyStatsService } from './ekey-stats.service.js';

/** The source year of the programme's figures: registered and target, before go-live. */
export const HISTORIC_REGISTRATIONS = [{ year: 2017, registered: 75_000, target: 50_000 }];

/** Demo data: historic aggregates and targets. Idempotent (only fills what is missing). */
@Injectable()
export class EkeyDemoSeeder {
  constructor(
    private readonly stats: EkeyStatsService,
    private readonly repo: EkeyStatsRepository,
  ) {}

  async seed(): Promise<void> {
    for (const h of HISTORIC_REGISTRATIONS) {
      const row = await this.repo.findYear(h.year);
      if (row?.historicRegistrations !== h.registered)
        await this.stats.loadHistoric(SYSTEM_ACTOR, h.year, h.registered);
      if (row?.target === null || row?.target === undefined)
        await this.stats.setTarget(SYSTEM_ACTOR, h.year, h.target);
    }
  }
}
