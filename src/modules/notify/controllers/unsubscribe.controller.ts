import { Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgencyService } from '../../../platform/agencies/agency.service.js';
import { PreferenceService } from '../services/preference.service.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(body: string): string {
  return `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>إلغاء الاشتراك · Unsubscribe</title>
<style>body{font-family:"Noto Naskh Arabic","Noto Sans",Tahoma,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.7;color:#1b1b1b}section[lang=en]{direction:ltr;border-top:1px solid #ccc;margin-top:2rem;padding-top:1rem}button{font:inherit;padding:.5rem 1.5rem;background:#7a1f2b;color:#fff;border:0;border-radius:4px}</style></head><body>${body}</body></html>`;
}

/**
 * The `List-Unsubscribe` target of non-critical emails: a confirmation page (no JavaScript)
 * and the RFC 8058 one-click POST. The link is signed; critical notices carry none.
 */
@ApiTags('public')
@Controller('v1/notifications/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly preferences: PreferenceService,
    private readonly agencies: AgencyService,
  ) {}

  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Confirmation page of an unsubscribe link' })
  @ApiOkResponse({ description: 'Bilingual HTML page with a confirmation button', type: String })
  async confirm(@Param('token') token: string): Promise<string> {
    const { a } = this.preferences.verify(token);
    const agency = await this.agencies.getById(a);
    const action = `/v1/notifications/unsubscribe/${encodeURIComponent(token)}`;
    return page(`<section lang="ar"><h1>إيقاف الإشعارات غير الضرورية</h1><p>لن تصلك بعد الآن الإشعارات غير الضرورية من <strong>${escape(agency.nameAr)}</strong> عبر هذه القناة. ستظل الإشعارات القانونية الهامة تصلك.</p>
<form method="post" action="${action}"><button type="submit">تأكيد · Confirm</button></form></section>
<section lang="en"><h2>Stop non-essential notices</h2><p>You will no longer receive non-essential notices from <strong>${escape(agency.nameEn)}</strong> on this channel. Important legal notices will still reach you.</p></section>`);
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Apply an unsubscribe link (also the RFC 8058 one-click POST)' })
  @ApiOkResponse({ description: 'Bilingual HTML confirmation', type: String })
  async apply(@Param('token') token: string): Promise<string> {
    const { agencyId } = await this.preferences.unsubscribe(token);
    const agency = await this.agencies.getById(agencyId);
    return page(`<section lang="ar"><h1>تم إيقاف الإشعارات</h1><p>لن تصلك الإشعارات غير الضرورية من ${escape(agency.nameAr)} عبر هذه القناة.</p></section>
<section lang="en"><h2>Done</h2><p>You will no longer receive non-essential notices from ${escape(agency.nameEn)} on this channel.</p></section>`);
  }
}
