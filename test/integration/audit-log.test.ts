import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../../src/platform/audit/audit.service.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/roles.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

describe('audit log', () => {
  let t: TestApp;
  let sut: AuditService;
  beforeAll(async () => {
    t = await startTestApp();
    sut = t.get(AuditService);
  });
  afterAll(() => t.close());

  it('records a privileged action in the same transaction as the action', async () => {
    const agency = await makeAgency(t, { code: 'AUDT' });
    const rows = await t.db.query<{ action: string; object_id: string; actor_label: string }>(
      "SELECT action, object_id, actor_label FROM audit_event WHERE action = 'agency.create' AND object_id = $1",
      [agency.id],
    );
    expect(rows).toEqual([
      { action: 'agency.create', object_id: agency.id, actor_label: t.admin.label },
    ]);
  });

  it('keeps one linear chain when many writers append at once', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        sut.recordAlone({
          actor: SYSTEM_ACTOR,
          action: 'test.concurrent',
          objectType: 'test',
          objectId: String(i),
        }),
      ),
    );
    const report = await sut.verify();
    expect(report.ok).toBe(true);
    const [{ n, max }] = await t.db.query<{ n: string; max: string }>(
      'SELECT count(*) AS n, max(seq) AS max FROM audit_event',
    );
    expect(n).toBe(max);
    expect(report.events).toBe(Number(n));
  });

  it.each([
    'UPDATE audit_event SET outcome = $$denied$$',
    'DELETE FROM audit_event',
    'TRUNCATE audit_event',
  ])('refuses %s at the database', async (sql) => {
    await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
  });

  it('reports the first broken link when a row was tampered with behind its back', async () => {
    await sut.recordAlone({
      actor: SYSTEM_ACTOR,
      action: 'test.tamper',
      objectType: 'test',
      objectId: 'x',
      details: { amountFils: '1000' },
    });
    const [{ seq }] = await t.db.query<{ seq: string }>(
      "SELECT seq FROM audit_event WHERE action = 'test.tamper'",
    );
    // Only a superuser switching the guard off could do this; the chain still catches it.
    await t.db.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
    await t.db.query(`UPDATE audit_event SET details = '{"amountFils":"9000"}' WHERE seq = $1`, [
      seq,
    ]);
    await t.db.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
    const report = await sut.verify();
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq, reason: 'hash_mismatch' });
  });
});
