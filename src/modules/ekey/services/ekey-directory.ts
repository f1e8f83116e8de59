import { Injectable } from '@nestjs/common';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import { EkeyAccountService } from './ekey-account.service.js';

export interface EkeyContact {
  mobile: string | null;
  email: string | null;
  lang: 'ar' | 'en';
}

/** Verified contacts of an eKey holder, for other modules (contract: `contactFor`). */
@Injectable()
export class EkeyDirectory {
  constructor(
    private readonly accounts: EkeyAccountRepository,
    private readonly accountService: EkeyAccountService,
  ) {}

  async contactFor(accountId: string): Promise<EkeyContact | null> {
    if (!/^[0-9a-f-]{36}$/i.test(accountId)) return null;
    const account = await this.accounts.findById(accountId);
    if (!account || account.status !== 'active') return null;
    return {
      mobile: account.mobileVerifiedAt ? this.accountService.mobileOf(account) : null,
      email: account.emailVerifiedAt ? this.accountService.emailOf(account) : null,
      lang: account.lang,
    };
  }
}
