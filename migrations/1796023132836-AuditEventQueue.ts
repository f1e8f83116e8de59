import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Queued audit entries for high-volume machine writes (issue 4: payment batches). An entry is
 * inserted here in the transaction of its action (no lock: concurrent writers do not queue up
 * behind each other's commits) and sealed into the hash chain of `audit_event` right after the
 * commit, or by the periodic sweep after a crash. The queue is append-only too: UPDATE and
 * TRUNCATE are refused, and a DELETE only by the sealer, which holds the chain's advisory lock
 * (7243110, see `audit.repository.ts`) and moves the rows into `audit_event` in the same
 * transaction.
 */
export class AuditEventQueue1796023132836 implements MigrationInterface {
  name = 'AuditEventQueue1796023132836';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_event_queue" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_type" character varying(16) NOT NULL, "actor_id" character varying(64), "actor_label" character varying(254) NOT NULL, "action" character varying(80) NOT NULL, "object_type" character varying(60) NOT NULL, "object_id" character varying(120), "outcome" character varying(16) NOT NULL, "ip" character varying(64), "correlation_id" character varying(64), "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "pk_audit_event_queue" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE FUNCTION audit_event_queue_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
          SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
            AND classid = 0 AND objid = 7243110 AND objsubid = 1) THEN
          RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit_event_queue is append-only; entries leave it only when sealed into audit_event (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_event_queue_no_update BEFORE UPDATE ON "audit_event_queue" FOR EACH ROW EXECUTE FUNCTION audit_event_queue_guard()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_queue_delete_when_sealing BEFORE DELETE ON "audit_event_queue" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_queue_guard()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_queue_no_truncate BEFORE TRUNCATE ON "audit_event_queue" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_queue_guard()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_event_queue"`);
    await queryRunner.query(`DROP FUNCTION audit_event_queue_guard()`);
  }
}
