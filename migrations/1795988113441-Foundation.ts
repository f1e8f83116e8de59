import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795988113441 implements MigrationInterface {
  name = 'Foundation1795988113441';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agency" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(16) NOT NULL, "name_ar" character varying(300) NOT NULL, "name_en" character varying(300) NOT NULL, "parent_id" uuid, "website" character varying(500), "email" character varying(254), "phone" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_ab1244724d1c216e9720635a2e5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_agency_code" ON "agency"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_type" character varying(16) NOT NULL, "actor_id" character varying(64), "actor_label" character varying(254) NOT NULL, "action" character varying(80) NOT NULL, "object_type" character varying(60) NOT NULL, "object_id" character varying(120), "outcome" character varying(16) NOT NULL, "ip" character varying(64), "correlation_id" character varying(64), "details" jsonb NOT NULL DEFAULT '{}', "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_53300da00860bdf4dc3ef7daae6" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_occurred_at" ON "audit_event"  ("occurred_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_event_action" ON "audit_event"  ("action") `);
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_object" ON "audit_event"  ("object_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "api_client" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "agency_id" uuid NOT NULL, "scopes" text array NOT NULL DEFAULT '{}', "key_id" character varying(32) NOT NULL, "secret_hash" character varying(64) NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_82a5ec6981d2be903a9eb1d9b9a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_api_client_key_id" ON "api_client"  ("key_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "staff_member" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(200) NOT NULL, "role" character varying(32) NOT NULL, "agency_id" uuid, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "must_change_password" boolean NOT NULL DEFAULT false, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_342343208cbc30b3c14a976b0a0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_staff_member_email" ON "staff_member"  ("email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scheduled_task" ("name" character varying(80) NOT NULL, "leased_until" TIMESTAMP WITH TIME ZONE, "last_started_at" TIMESTAMP WITH TIME ZONE, "last_finished_at" TIMESTAMP WITH TIME ZONE, "last_outcome" character varying(16), "last_error" text, CONSTRAINT "PK_d83e0fe52ade6e88fb3558b4a57" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "agency" ADD CONSTRAINT "FK_23b82556fb4ce8b297ecc6fbd2f" FOREIGN KEY ("parent_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_client" ADD CONSTRAINT "FK_8d4cefbf34cf89421f7649d3679" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_member" ADD CONSTRAINT "FK_b4f4eeaa87dde8e67576a036cb9" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Hand-written: what entities cannot express.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
    await queryRunner.query(`CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`,
    );
    // Back-office sessions (connect-pg-simple's table).
    await queryRunner.query(
      `CREATE TABLE "admin_session" ("sid" varchar NOT NULL PRIMARY KEY, "sess" json NOT NULL, "expire" timestamp(6) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_admin_session_expire" ON "admin_session" ("expire")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "admin_session"`);
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON "audit_event"`);
    await queryRunner.query(`DROP TRIGGER audit_event_no_update_delete ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(
      `ALTER TABLE "staff_member" DROP CONSTRAINT "FK_b4f4eeaa87dde8e67576a036cb9"`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_client" DROP CONSTRAINT "FK_8d4cefbf34cf89421f7649d3679"`,
    );
    await queryRunner.query(
      `ALTER TABLE "agency" DROP CONSTRAINT "FK_23b82556fb4ce8b297ecc6fbd2f"`,
    );
    await queryRunner.query(`DROP TABLE "scheduled_task"`);
    await queryRunner.query(`DROP INDEX "public"."uq_staff_member_email"`);
    await queryRunner.query(`DROP TABLE "staff_member"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_client_key_id"`);
    await queryRunner.query(`DROP TABLE "api_client"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_object"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_action"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_occurred_at"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."uq_agency_code"`);
    await queryRunner.query(`DROP TABLE "agency"`);
  }
}
