import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor, StaffRole } from '../../src/platform/auth/roles.js';
import { Clock } from '../../src/platform/clock.js';
import { DomainException } from '../../src/platform/errors/domain-exception.js';
import type { EditionContentDraft } from '../../src/modules/registry/domain/edition-content.js';
import { buildEditionContent } from '../../src/modules/registry/domain/edition-content.factory.js';
import { RegistryWorkflowService } from '../../src/modules/registry/services/registry-workflow.service.js';
import { RegistryService } from '../../src/modules/registry/services/registry.service.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainException) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

const staff = (role: StaffRole, agencyId: string | null, label: string = role): Actor => ({
  type: 'staff',
  id: randomUUID(),
  label,
  role,
  agencyId,
});

describe('registry workflow', () => {
  let t: TestApp;
  let sut: RegistryWorkflowService;
  let agencyId: string;
  let agencyCode: string;
  let editor: Actor;
  let approver: Actor;
  let otherEditor: Actor;
  let otherApprover: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    sut = t.get(RegistryWorkflowService);
    const agency = await makeAgency(t, { code: 'NPRA' });
    const other = await makeAgency(t, { code: 'GDT' });
    agencyId = agency.id;
    agencyCode = agency.code;
    editor = staff('agency_editor', agency.id, 'editor@npra');
    approver = staff('agency_approver', agency.id, 'approver@npra');
    otherEditor = staff('agency_editor', other.id, 'editor@gdt');
    otherApprover = staff('agency_approver', other.id, 'approver@gdt');
  });
  afterAll(() => t.close());

  const newDraft = (content: EditionContentDraft = buildEditionContent()) =>
    sut.createService(editor, { content, changeNote: 'first' });

  it('gives a new service the next code of its agency and a first draft', async () => {
    const a = await newDraft();
    const b = await newDraft();
    expect(a.service.code).toMatch(/^NPRA-\d{4}$/);
    expect(Number(b.service.code.slice(5))).toBe(Number(a.service.code.slice(5)) + 1);
    expect(a.edition).toMatchObject({
      status: 'draft',
      editionNumber: 1,
      authorLabel: 'editor@npra',
    });
    expect(a.service.agencyId).toBe(agencyId);
  });

  it('takes a draft through review to publication, auditing each step in order', async () => {
    const { edition, service } = await newDraft();
    await sut.submit(editor, edition.id);
    const published = await sut.approve(approver, edition.id);
    expect(published.edition).toMatchObject({
      status: 'published',
      approverLabel: 'approver@npra',
    });
    expect(await t.get(RegistryService).findPublishedByCode(service.code)).toEqual({
      code: service.code,
      agencyId,
      agencyCode,
      titleAr: 'تجديد جوازات السفر',
      titleEn: 'Passport renewal',
    });
    const audit = await t.db.query<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_event WHERE object_id IN ($1, $2) ORDER BY seq`,
      [edition.id, service.code],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'registry.service.create',
      'registry.edition.submit',
      'registry.edition.publish',
    ]);
  });

  it('supersedes the previous edition when a new one is published', async () => {
    const { service, edition } = await newDraft();
    await sut.submit(editor, edition.id);
    await sut.approve(approver, edition.id);
    const second = await sut.startDraft(editor, service.code, { changeNote: 'new fee' });
    expect(second.edition.editionNumber).toBe(2);
    expect(second.edition.content).toEqual(edition.content);
    await sut.submit(editor, second.edition.id);
    await sut.approve(approver, second.edition.id);
    const rows = await t.db.query<{ edition_number: number; status: string }>(
      'SELECT edition_number, status FROM service_edition WHERE service_id = $1 ORDER BY 1',
      [service.id],
    );
    expect(rows).toEqual([
      { edition_number: 1, status: 'superseded' },
      { edition_number: 2, status: 'published' },
    ]);
  });

  it('refuses a second draft while one is open, and the database refuses it too', async () => {
    const { service } = await newDraft();
    expect((await failure(sut.startDraft(editor, service.code))).code).toBe(
      'REGISTRY_DRAFT_EXISTS',
    );
    await expect(
      t.db.query(
        `INSERT INTO service_edition (service_id, agency_id, edition_number, status, content, author_type, author_id, author_label, version)
         VALUES ($1, $2, 99, 'in_review', '{}', 'staff', 'x', 'x', 1)`,
        [service.id, service.agencyId],
      ),
    ).rejects.toThrow(/uq_service_edition_working/);
  });

  it('refuses to publish an incomplete edition and lists what is missing', async () => {
    const content = buildEditionContent();
    const partial = {
      ...content,
      title: { ar: content.title.ar, en: '' },
      redress: undefined,
      processingTime: 'P2W',
    };
    const { edition } = await newDraft(partial);
    await sut.submit(editor, edition.id);
    const e = await failure(sut.approve(approver, edition.id));
    expect(e.code).toBe('REGISTRY_INCOMPLETE_EDITION');
    expect(e.status).toBe(422);
    expect(e.extensions).toEqual({
      missing: ['title.en', 'redress.ar', 'redress.en'],
      malformed: ['processingTime'],
    });
    const [row] = await t.db.query<{ status: string }>(
      'SELECT status FROM service_edition WHERE id = $1',
      [edition.id],
    );
    expect(row.status).toBe('in_review');
  });

  it('never lets the author approve their own edition (four eyes)', async () => {
    const admin = staff('admin', null, 'admin@iga');
    const { edition } = await sut.createService(admin, {
      agencyCode: 'NPRA',
      content: buildEditionContent(),
    });
    await sut.submit(admin, edition.id);
    expect((await failure(sut.approve(admin, edition.id))).code).toBe('REGISTRY_FOUR_EYES');
    expect((await sut.approve(approver, edition.id)).edition.status).toBe('published');
  });

  it('lets an approver of the agency approve, but not an editor or another agency’s approver', async () => {
    const { edition } = await newDraft();
    await sut.submit(editor, edition.id);
    expect((await failure(sut.approve(editor, edition.id))).code).toBe('FORBIDDEN');
    expect((await failure(sut.approve(otherApprover, edition.id))).code).toBe('OTHER_AGENCY');
    expect((await sut.approve(approver, edition.id)).edition.status).toBe('published');
  });

  it('keeps editors to their own agency’s services', async () => {
    const { edition, service } = await newDraft();
    expect(
      (
        await failure(
          sut.updateDraft(
            otherEditor,
            edition.id,
            { content: buildEditionContent() },
            edition.version,
          ),
        )
      ).code,
    ).toBe('OTHER_AGENCY');
    expect((await failure(sut.submit(otherEditor, edition.id))).code).toBe('OTHER_AGENCY');
    expect((await failure(sut.getDraft(otherEditor, service.code))).code).toBe('OTHER_AGENCY');
    expect(
      (await failure(sut.createService(otherEditor, { agencyCode: 'NPRA', content: {} }))).code,
    ).toBe('OTHER_AGENCY');
    const auditor = staff('auditor', null);
    expect((await failure(sut.submit(auditor, edition.id))).code).toBe('FORBIDDEN');
  });

  it('gives 409 to the second of two writers holding the same version', async () => {
    const { edition } = await newDraft();
    const content = buildEditionContent({ processingTime: 'P5D' });
    const first = await sut.updateDraft(editor, edition.id, { content }, edition.version);
    expect(first.edition.version).toBe(edition.version + 1);
    const e = await failure(
      sut.updateDraft(editor, edition.id, { content: buildEditionContent() }, edition.version),
    );
    expect(e.code).toBe('VERSION_CONFLICT');
    expect(e.status).toBe(409);
    expect((await failure(sut.updateDraft(editor, edition.id, { content }, undefined))).code).toBe(
      'REGISTRY_EXPECTED_VERSION_REQUIRED',
    );
  });

  it('lets exactly one of two concurrent writers win', async () => {
    const { edition } = await newDraft();
    const results = await Promise.allSettled([
      sut.updateDraft(
        editor,
        edition.id,
        { content: buildEditionContent({ processingTime: 'P1D' }) },
        edition.version,
      ),
      sut.updateDraft(
        editor,
        edition.id,
        { content: buildEditionContent({ processingTime: 'P2D' }) },
        edition.version,
      ),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as DomainException).code).toBe('VERSION_CONFLICT');
  });

  it('sends an edition back for amends, and editing it makes it a draft again', async () => {
    const { edition } = await newDraft();
    await sut.submit(editor, edition.id);
    expect(
      (await failure(sut.updateDraft(editor, edition.id, { content: {} }, edition.version + 1)))
        .code,
    ).toBe('REGISTRY_EDITION_NOT_EDITABLE');
    const back = await sut.requestChanges(approver, edition.id, 'Add the fee for the kiosk');
    expect(back.edition).toMatchObject({
      status: 'amends_needed',
      reviewNote: 'Add the fee for the kiosk',
    });
    expect((await failure(sut.approve(approver, edition.id))).code).toBe(
      'REGISTRY_EDITION_NOT_IN_REVIEW',
    );
    const edited = await sut.updateDraft(
      editor,
      edition.id,
      { content: buildEditionContent() },
      back.edition.version,
    );
    expect(edited.edition.status).toBe('draft');
    expect((await failure(sut.requestChanges(editor, edition.id, 'x'))).code).toBe('FORBIDDEN');
  });

  it('refuses to submit what is not a draft', async () => {
    const { edition } = await newDraft();
    await sut.submit(editor, edition.id);
    expect((await failure(sut.submit(editor, edition.id))).code).toBe('REGISTRY_EDITION_NOT_DRAFT');
  });

  it('publishes a scheduled edition only once its time has come', async () => {
    const clock = t.get(Clock);
    const { edition, service } = await newDraft();
    await sut.submit(editor, edition.id);
    const at = new Date(Date.now() + 3600_000);
    expect(
      (await failure(sut.approve(approver, edition.id, { publishAt: new Date(Date.now() - 1000) })))
        .code,
    ).toBe('REGISTRY_INVALID_SCHEDULE');
    const scheduled = await sut.approve(approver, edition.id, { publishAt: at });
    expect(scheduled.edition).toMatchObject({ status: 'in_review', scheduledAt: at });
    expect(await sut.publishDue()).toBe(0);
    expect(await t.get(RegistryService).findPublishedByCode(service.code)).toBeNull();
    const realNow = clock.now.bind(clock);
    clock.now = () => new Date(at.getTime() + 1000);
    try {
      expect(await sut.publishDue()).toBe(1);
      expect(await sut.publishDue()).toBe(0);
    } finally {
      clock.now = realNow;
    }
    expect((await t.get(RegistryService).findPublishedByCode(service.code))?.code).toBe(
      service.code,
    );
    const [audit] = await t.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_event WHERE object_id = $1 AND action = 'registry.edition.publish'`,
      [edition.id],
    );
    expect(audit.actor_type).toBe('system');
  });

  it('archives a published service so it leaves the catalogue, by an approver only', async () => {
    const { edition, service } = await newDraft();
    await sut.submit(editor, edition.id);
    await sut.approve(approver, edition.id);
    expect((await failure(sut.archive(editor, edition.id))).code).toBe('FORBIDDEN');
    expect((await sut.archive(approver, edition.id)).edition.status).toBe('archived');
    expect(await t.get(RegistryService).findPublishedByCode(service.code)).toBeNull();
    expect(await t.get(RegistryService).listPublishedCodes()).not.toContain(service.code);
  });

  it('lets an API client with registry:write draft and submit for its own agency only', async () => {
    const client: Actor = {
      type: 'api_client',
      id: randomUUID(),
      label: 'e-service',
      agencyId,
      scopes: ['registry:write'],
    };
    const noScope: Actor = { ...client, scopes: ['payments:write'] };
    const { edition } = await sut.createService(client, { content: buildEditionContent() });
    expect((await sut.submit(client, edition.id)).edition.status).toBe('in_review');
    expect((await failure(sut.createService(noScope, { content: {} }))).code).toBe('FORBIDDEN');
    expect((await failure(sut.approve(client, edition.id))).code).toBe('FORBIDDEN');
  });

  it('counts online services by the Bahrain year of their first publication', async () => {
    const clock = t.get(Clock);
    const realNow = clock.now.bind(clock);
    const before = await t.get(RegistryService).countOnlineServicesFirstPublishedIn(2030);
    const { edition } = await newDraft();
    await sut.submit(editor, edition.id);
    // 31 Dec 2029 22:30 UTC is already 1 Jan 2030 in Bahrain (UTC+3).
    clock.now = () => new Date('2029-12-31T22:30:00Z');
    try {
      await sut.approve(approver, edition.id);
    } finally {
      clock.now = realNow;
    }
    expect(await t.get(RegistryService).countOnlineServicesFirstPublishedIn(2030)).toBe(before + 1);
  });
});
