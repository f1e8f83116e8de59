import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BATCH_STATEMENTS } from '../../src/modules/notifications/repositories/notification.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The indexes under a node (a bitmap heap scan's bitmap index scans). */
function indexesUnder(node: PlanNode): string[] {
  return [
    ...(node['Index Name'] ? [node['Index Name']] : []),
    ...(node.Plans ?? []).flatMap(indexesUnder),
  ];
}

/** Every scan of the `notification` table in a plan: its node type and the indexes it reads. */
function scansOfNotification(node: PlanNode, out: string[] = []): string[] {
  if (node['Relation Name'] === 'notification' && node['Node Type'] !== 'ModifyTable')
    out.push(`${node['Node Type']} using ${indexesUnder(node).join(' and ') || 'no index'}`);
  for (const child of node.Plans ?? []) scansOfNotification(child, out);
  return out;
}

/**
 * The worker's batch statements name their rows by id. On a queue table the planner's
 * statistics are always behind: analysed when nearly every row was `sent`, it believes the
 * partial indexes on status and due time hold almost nothing, and would scan them whole (every
 * due or in-flight row, and the dead entries until the next vacuum) to find a batch of 64.
 * These plans must find the rows through the primary key, whatever the backlog.
 */
describe('notification batch statements go through the primary key', () => {
  let db: TestDatabase;
  let primaryKey: string;
  const ids = async (status: string) =>
    (
      await db.query<{ id: string }>(
        'SELECT id FROM notification WHERE status = $1 ORDER BY id LIMIT 64',
        [status],
      )
    ).map((r) => r.id);
  const plan = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      params,
    );
    return scansOfNotification(row['QUERY PLAN'][0].Plan);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(
      `INSERT INTO notification (id, channel, priority, lang, status, recipient_cipher, recipient_hash,
         content_cipher, replaces_paper_letter, actor_type, actor_id, accepted_at, updated_at, attempts)
       SELECT gen_random_uuid(), 'sms', 'bulk', 'en', 'sent', 'c', md5(g::text), 'c', false, 'system',
              'system', now(), now(), 1
       FROM generate_series(1, 20000) g`,
    );
    // Statistics taken when everything was sent; then a backlog arrives before the next ANALYZE.
    await db.query('ANALYZE notification');
    await db.query(
      `UPDATE notification SET status = 'accepted', attempts = 0, dispatch_due_at = now() - interval '1 minute'
       WHERE id IN (SELECT id FROM notification ORDER BY recipient_hash LIMIT 12000)`,
    );
    await db.query(
      `UPDATE notification SET status = 'sending', claimed_at = now(), dispatch_due_at = NULL, attempts = 1
       WHERE id IN (SELECT id FROM notification WHERE status = 'accepted' ORDER BY id LIMIT 2000)`,
    );
    const [pk] = await db.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint
       WHERE conrelid = 'notification'::regclass AND contype = 'p'`,
    );
    primaryKey = pk.name;
  }, 60_000);
  afterAll(() => db?.drop());

  it('claims a batch of due notifications by primary key, not by scanning the backlog', async () => {
    const scans = await plan(BATCH_STATEMENTS.claim, [await ids('accepted'), new Date()]);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan).toMatch(new RegExp(`using ${primaryKey}$`));
  });

  it('marks a batch enqueued by primary key', async () => {
    const scans = await plan(BATCH_STATEMENTS.markEnqueued, [await ids('accepted'), new Date()]);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan).toMatch(new RegExp(`using ${primaryKey}$`));
  });

  it('records a batch of submissions by primary key, not by scanning what is in flight', async () => {
    const input = (await ids('sending')).map((id) => ({
      id,
      attempt_no: 1,
      provider: 'smpp',
      smsc_id: 'a',
      message_ids: [`a:${id}`],
      raw: null,
      segments: 1,
    }));
    const scans = await plan(BATCH_STATEMENTS.recordSubmitted, [JSON.stringify(input), new Date()]);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan).toMatch(new RegExp(`using ${primaryKey}$`));
  });

  it('still moves only the rows whose status allows it', async () => {
    const due = await ids('accepted');
    const sending = await ids('sending');
    const claimed = await db.query<{ id: string }>(BATCH_STATEMENTS.claim, [
      [...due.slice(0, 3), ...sending.slice(0, 2)],
      new Date(),
    ]);
    expect(claimed.map((r) => r.id).sort()).toEqual(due.slice(0, 3).sort());
    const moved = await db.query<{ id: string }>(BATCH_STATEMENTS.recordSubmitted, [
      JSON.stringify(
        [...due.slice(0, 3), ...sending.slice(0, 1)].map((id, k) => ({
          id,
          attempt_no: k < 3 ? 1 : 2, // the last one: an attempt that no longer holds the claim
          provider: 'smpp',
          smsc_id: 'a',
          message_ids: [`a:${id}`],
          raw: null,
          segments: 1,
        })),
      ),
      new Date(),
    ]);
    expect(moved.map((r) => r.id).sort()).toEqual(due.slice(0, 3).sort());
  });
});
