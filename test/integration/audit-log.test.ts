import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../../src/platform/audit/audit.service.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/roles.js';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { Scheduler } from '../../src/platform/queue/scheduler.js';
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

  describe('queued entries (recordQueued)', () => {
    const queued = async () =>
      Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_event_queue'))[0].n);
    const chained = (action: string) =>
      t.db.query<{ seq: string; object_id: string }>(
        'SELECT seq, object_id FROM audit_event WHERE action = $1 ORDER BY seq',
        [action],
      );

    it('leaves no entry when the action fails and its transaction rolls back', async () => {
      await expect(
        t.get(TransactionRunner).run(async (tx) => {
          await sut.recordQueued(tx, {
            actor: SYSTEM_ACTOR,
            action: 'test.queued.rolled_back',
            objectType: 'test',
          });
          throw new Error('the action failed');
        }),
      ).rejects.toThrow('the action failed');
      await sut.sealQueued();
      expect(await queued()).toBe(0);
      expect(await chained('test.queued.rolled_back')).toEqual([]);
    });

    it('chains committed entries in commit order, after the commit, and the chain verifies', async () => {
      for (let i = 0; i < 5; i++)
        await t.get(TransactionRunner).run((tx) =>
          sut.recordQueued(tx, {
            actor: SYSTEM_ACTOR,
            action: 'test.queued.in_order',
            objectType: 'test',
            objectId: String(i),
            details: { i, amountFils: '1000' },
          }),
        );
      await sut.sealQueued();
      const rows = await chained('test.queued.in_order');
      expect(rows.map((r) => r.object_id)).toEqual(['0', '1', '2', '3', '4']);
      expect(await queued()).toBe(0);
      expect((await sut.verify()).ok).toBe(true);
    });

    it('keeps one chain with queued and direct writers at once, sealed without being asked', async () => {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t.get(TransactionRunner).run((tx) =>
            i % 3 === 0
              ? sut.record(tx, { actor: SYSTEM_ACTOR, action: 'test.mixed', objectType: 'test' })
              : sut.recordQueued(tx, {
                  actor: SYSTEM_ACTOR,
                  action: 'test.mixed',
                  objectType: 'test',
                  objectId: String(i),
                }),
          ),
        ),
      );
      // Each committing transaction starts a seal in the background; no one calls it here.
      for (let waited = 0; (await chained('test.mixed')).length < 30 && waited < 5000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(await chained('test.mixed')).toHaveLength(30);
      expect(await queued()).toBe(0);
      const report = await sut.verify();
      expect(report.ok).toBe(true);
      const [{ n, max }] = await t.db.query<{ n: string; max: string }>(
        'SELECT count(*) AS n, max(seq) AS max FROM audit_event',
      );
      expect(n).toBe(max);
    });

    it('seals by the periodic sweep an entry that a crashed process committed but never sealed', async () => {
      // Committed by "another process" (a plain connection: no after-commit seal here).
      await t.db.query(
        `INSERT INTO audit_event_queue (occurred_at, actor_type, actor_label, action, object_type, outcome, details)
         VALUES (now(), 'system', 'crashed worker', 'test.queued.orphan', 'test', 'success', '{"batch":7}')`,
      );
      expect(await queued()).toBe(1);
      expect(await t.get(Scheduler).runOnce(sut.sealSweep)).toBe(true);
      expect(await queued()).toBe(0);
      expect(await chained('test.queued.orphan')).toHaveLength(1);
      expect((await sut.verify()).ok).toBe(true);
    });

    it('verify() seals what is queued before it walks the chain', async () => {
      await t.db.query(
        `INSERT INTO audit_event_queue (occurred_at, actor_type, actor_label, action, object_type, outcome)
         VALUES (now(), 'system', 'crashed worker', 'test.queued.verify', 'test', 'success')`,
      );
      const report = await sut.verify();
      expect(report.ok).toBe(true);
      expect(await chained('test.queued.verify')).toHaveLength(1);
      const [{ max }] = await t.db.query<{ max: string }>(
        'SELECT max(seq) AS max FROM audit_event',
      );
      expect(String(report.events)).toBe(max);
    });

    it.each([
      "UPDATE audit_event_queue SET outcome = 'denied'",
      'DELETE FROM audit_event_queue',
      'TRUNCATE audit_event_queue',
    ])('refuses %s at the database (only the sealer removes entries)', async (sql) => {
      await t.db.query(
        `INSERT INTO audit_event_queue (occurred_at, actor_type, actor_label, action, object_type, outcome)
         VALUES (now(), 'system', 'x', 'test.queued.guard', 'test', 'success')`,
      );
      await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
      expect(await queued()).toBeGreaterThan(0);
      await sut.sealQueued();
      expect(await queued()).toBe(0);
    });
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
