import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModulesContainer } from '@nestjs/core';
import { StrategyDemoSeeder } from '../../src/modules/strategy/demo/strategy-demo.seeder.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

/** Binds a stand-in for another module's service inside StrategyModule (it wins over others). */
function bindSource(t: TestApp, token: abstract new () => object, instance: object) {
  const container = t.diwan.app.get(ModulesContainer);
  const mod = [...container.values()].find((m) => m.metatype?.name === 'StrategyModule')!;
  mod.addProvider({ provide: token, useValue: instance });
}
class EkeyStatsService {}
class RegistryService {}
class PaymentStatsService {}
class NotificationStatsService {}

const binaryParser = (res: request.Response, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'diwan-pdf-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('strategy report over HTTP', () => {
  let t: TestApp;
  let reader: string;
  let payer: string;
  beforeAll(async () => {
    t = await startTestApp();
    const agency = await makeAgency(t);
    reader = (await makeApiClient(t, agency.id, ['reports:read'], 'committee portal')).apiKey;
    payer = (await makeApiClient(t, agency.id, ['payments:write'])).apiKey;
    bindSource(t, EkeyStatsService, {
      registrations: async (r: { from: string }) => (r.from.startsWith('2017') ? 75_000 : 0),
    });
    bindSource(t, RegistryService, { countOnlineServicesFirstPublishedIn: async () => 40 });
    bindSource(t, PaymentStatsService, {
      electronicShare: async () => ({
        count: { electronic: 1_050_000, total: 2_560_976 },
        valueFils: { electronic: 74_000_000_000n, total: 180_487_805_000n },
      }),
    });
    bindSource(t, NotificationStatsService, { paperLettersReplaced: async () => 300_000 });
    await t.get(StrategyDemoSeeder).seed();
  });
  afterAll(() => t.close());

  it('serves the 2017 report as JSON to a client with reports:read, money as digit strings', async () => {
    const res = await t
      .http()
      .get('/v1/reports/strategy/2017')
      .set('Authorization', `Bearer ${reader}`)
      .expect(200);
    const kpis = res.body.goals.flatMap((g: { kpis: unknown[] }) => g.kpis) as Record<
      string,
      unknown
    >[];
    const by = (c: string) => kpis.find((k) => k.code === c)!;
    expect(by('EKEY_REGISTRATIONS')).toMatchObject({
      numerator: '75000',
      target: '50000',
      achievementPercent: '150.0',
      met: true,
    });
    expect(by('GOV_SYSTEMS_DELIVERED')).toMatchObject({ achievementPercent: '200.0' });
    expect(by('E_PAYMENT_SHARE_VALUE')).toMatchObject({
      numerator: '74000000000',
      details: { electronicFils: '74000000000', totalFils: '180487805000' },
    });
    expect(res.body.goals.map((g: { priority: number }) => g.priority)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a missing key, a key without reports:read, and a malformed year', async () => {
    expect((await t.http().get('/v1/reports/strategy/2017').expect(401)).body.code).toBe(
      'UNAUTHENTICATED',
    );
    const forbidden = await t
      .http()
      .get('/v1/reports/strategy/2017.pdf')
      .set('Authorization', `Bearer ${payer}`)
      .expect(403);
    expect(forbidden.body.code).toBe('INSUFFICIENT_SCOPE');
    for (const bad of ['17', '2017x', '1999'])
      expect(
        (
          await t
            .http()
            .get(`/v1/reports/strategy/${bad}`)
            .set('Authorization', `Bearer ${reader}`)
            .expect(400)
        ).body.code,
      ).toBe('STRATEGY_INVALID_YEAR');
  });

  it('renders a bilingual PDF, Arabic first, whose text states the figures', async () => {
    const res = await t
      .http()
      .get('/v1/reports/strategy/2017.pdf')
      .set('Authorization', `Bearer ${reader}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    // Arabic: Arabic-Indic digits, Arabic thousands separator (٬), decimal separator (٫) and
    // percent sign (٪). pdftotext wraps runs in bidi controls and writes the number run of a
    // right-to-left line with the ٪ first (visual order), so both are allowed for percentages.
    const arabic = text.replace(/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, '');
    for (const figure of ['٧٥٬٠٠٠', '٥٠٬٠٠٠', '١٬٠٥٠٬٠٠٠', '٧٤٬٠٠٠٬٠٠٠٫٠٠٠'])
      expect(arabic).toContain(figure);
    for (const pct of ['١٥٠', '٢٠٠', '٤١٫٠'])
      expect(arabic).toMatch(new RegExp(`٪${pct}(?![٠-٩])|(?<![٠-٩٬٫])${pct}٪`));
    // English: Western digits.
    for (const figure of [
      '75,000',
      '50,000',
      '150%',
      '200%',
      '41.0%',
      '1,050,000',
      '74,000,000.000',
    ])
      expect(text).toContain(figure);
    expect(arabic).toContain('المسجلون في المفتاح الإلكتروني خلال العام');
    const arabicTitle = arabic.indexOf('تقرير مؤشرات الأداء');
    const englishTitle = arabic.indexOf('Strategy KPI report');
    expect(arabicTitle).toBeGreaterThanOrEqual(0);
    expect(englishTitle).toBeGreaterThan(arabicTitle);
  });

  it('puts every read of the report into the audit log', async () => {
    const rows = await t.db.query<{ actor_label: string; details: { format: string } }>(
      "SELECT actor_label, details FROM audit_event WHERE action = 'strategy.report.read' ORDER BY seq",
    );
    expect(rows.map((r) => r.details.format)).toEqual(['json', 'pdf']);
    expect(rows[0].actor_label).toBe('committee portal');
  });
});
