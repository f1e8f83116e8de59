import { Injectable } from '@nestjs/common';
import { AgencyService } from '../../../platform/agencies/agency.service.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { agencyOf, hasRole, requireSameAgency } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException, type FieldError } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import type { NotificationChannel } from '../domain/notification-status.js';
import { checkTemplate, type TemplateVariant } from '../domain/template-rules.js';
import type { NotificationTemplateVersion } from '../entities/notification-template-version.entity.js';
import type { NotificationTemplate } from '../entities/notification-template.entity.js';
import { NotificationsErrors } from '../errors/notifications.errors.js';
import { TemplateRepository } from '../repositories/template.repository.js';
import { renderEmail, renderSms, type RenderedEmail } from '../templates/template-renderer.js';

export interface CreateTemplateInput {
  agencyId: string;
  channel: NotificationChannel;
  /** Stable code, unique per agency, e.g. `appointment-confirmed`. */
  code: string;
  name: string;
  ar: TemplateVariant;
  en: TemplateVariant;
}

export interface TemplateWithVersion {
  template: NotificationTemplate;
  version: NotificationTemplateVersion;
}

const CODE = /^[a-z0-9][a-z0-9._-]{1,79}$/;

/**
 * Agencies' notification templates. Each change makes a new immutable version; the
 * notification records the version it was rendered from. Only admins and the agency's own
 * editors change templates, and every change is audited with it.
 */
@Injectable()
export class TemplateService {
  /** Versions never change, so they can be kept in memory once read. */
  private readonly versions = new Map<string, NotificationTemplateVersion>();

  constructor(
    private readonly repo: TemplateRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly agencies: AgencyService,
  ) {}

  async create(actor: Actor, input: CreateTemplateInput): Promise<TemplateWithVersion> {
    this.requireEditor(actor, input.agencyId);
    await this.agencies.getById(input.agencyId);
    const code = input.code?.trim().toLowerCase() ?? '';
    const fieldErrors: FieldError[] = CODE.test(code)
      ? []
      : [{ field: 'code', message: 'Lower-case letters, digits, . _ - (2–80)', reason: 'format' }];
    if (!['sms', 'email'].includes(input.channel))
      fieldErrors.push({ field: 'channel', message: 'sms or email', reason: 'format' });
    if (!input.name?.trim())
      fieldErrors.push({ field: 'name', message: 'The name is required', reason: 'required' });
    const { errors, placeholders } = checkTemplate(input.channel, input.ar, input.en);
    fieldErrors.push(...errors);
    if (fieldErrors.length)
      throw new DomainException(NotificationsErrors.TEMPLATE_INVALID, undefined, fieldErrors);

    return this.tx.run(async (tx) => {
      if (await this.repo.findByAgencyAndCode(tx, input.agencyId, code))
        throw new DomainException(NotificationsErrors.TEMPLATE_CODE_TAKEN, `Code ${code} is taken`);
      const template = await this.repo.insertTemplate(tx, {
        agencyId: input.agencyId,
        channel: input.channel,
        code,
        name: input.name.trim(),
        currentVersion: 1,
        active: true,
      });
      const version = await this.repo.insertVersion(tx, {
        templateId: template.id,
        version: 1,
        ...variantColumns(input.ar, input.en),
        placeholders,
        createdBy: actor.id,
      });
      await this.audit.record(tx, {
        actor,
        action: 'notifications.template.create',
        objectType: 'notification_template',
        objectId: template.id,
        details: { agencyId: input.agencyId, code, channel: input.channel, version: 1 },
      });
      return { template, version };
    });
  }

  /** A new wording: a new version, which later notifications use. */
  async revise(
    actor: Actor,
    templateId: string,
    input: { ar: TemplateVariant; en: TemplateVariant },
  ): Promise<TemplateWithVersion> {
    const existing = await this.get(templateId);
    this.requireEditor(actor, existing.agencyId);
    const { errors, placeholders } = checkTemplate(existing.channel, input.ar, input.en);
    if (errors.length)
      throw new DomainException(NotificationsErrors.TEMPLATE_INVALID, undefined, errors);
    return this.tx.run(async (tx) => {
      const template = (await this.repo.findByIdForUpdate(tx, templateId))!;
      const next = template.currentVersion + 1;
      const version = await this.repo.insertVersion(tx, {
        templateId,
        version: next,
        ...variantColumns(input.ar, input.en),
        placeholders,
        createdBy: actor.id,
      });
      await this.repo.setCurrentVersion(tx, templateId, next);
      await this.audit.record(tx, {
        actor,
        action: 'notifications.template.revise',
        objectType: 'notification_template',
        objectId: templateId,
        details: { version: next },
      });
      template.currentVersion = next;
      return { template, version };
    });
  }

  async get(templateId: string): Promise<NotificationTemplate> {
    const template = /^[0-9a-f-]{36}$/i.test(templateId)
      ? await this.repo.findById(templateId)
      : null;
    if (!template) throw new DomainException(NotificationsErrors.TEMPLATE_NOT_FOUND);
    return template;
  }

  /** The template and its current version, for a notification about to be accepted. */
  async current(templateId: string): Promise<TemplateWithVersion> {
    const template = await this.get(templateId);
    if (!template.active) throw new DomainException(NotificationsErrors.TEMPLATE_NOT_FOUND);
    const cached = [...this.versions.values()].find(
      (v) => v.templateId === templateId && v.version === template.currentVersion,
    );
    const version = cached ?? (await this.repo.findVersion(templateId, template.currentVersion));
    if (!version) throw new DomainException(NotificationsErrors.TEMPLATE_NOT_FOUND);
    this.versions.set(version.id, version);
    return { template, version };
  }

  async version(id: string): Promise<NotificationTemplateVersion> {
    let version = this.versions.get(id);
    if (!version) {
      version = (await this.repo.findVersionById(id)) ?? undefined;
      if (!version) throw new DomainException(NotificationsErrors.TEMPLATE_NOT_FOUND);
      this.versions.set(id, version);
    }
    return version;
  }

  /** What a recipient would get, for the back office's preview. */
  async preview(
    actor: Actor,
    templateId: string,
    lang: 'ar' | 'en',
    personalisation: Record<string, string>,
  ): Promise<{ channel: NotificationChannel; text: string; email?: RenderedEmail }> {
    const { template, version } = await this.current(templateId);
    if (!hasRole(actor, 'admin', 'operator', 'auditor'))
      requireSameAgency(actor, template.agencyId);
    return {
      channel: template.channel,
      ...render(template.channel, version, lang, personalisation),
    };
  }

  private requireEditor(actor: Actor, agencyId: string): void {
    if (hasRole(actor, 'admin')) return;
    if (!hasRole(actor, 'agency_editor') || agencyOf(actor) !== agencyId)
      throw new DomainException(
        PlatformErrors.FORBIDDEN,
        "Only an admin or the agency's own editor may change its templates",
      );
  }
}

export function variantOf(
  version: NotificationTemplateVersion,
  lang: 'ar' | 'en',
): TemplateVariant {
  return lang === 'ar'
    ? { subject: version.subjectAr, body: version.bodyAr }
    : { subject: version.subjectEn, body: version.bodyEn };
}

/** Plain text (SMS) or subject, text and HTML (email) of one version in one language. */
export function render(
  channel: NotificationChannel,
  version: NotificationTemplateVersion,
  lang: 'ar' | 'en',
  values: Record<string, string>,
): { text: string; email?: RenderedEmail } {
  const variant = variantOf(version, lang);
  if (channel === 'sms') return { text: renderSms(variant.body, values) };
  const email = renderEmail({ subject: variant.subject ?? '', body: variant.body, lang }, values);
  return { text: email.text, email };
}

function variantColumns(ar: TemplateVariant, en: TemplateVariant) {
  return {
    subjectAr: ar.subject?.trim() || null,
    bodyAr: ar.body,
    subjectEn: en.subject?.trim() || null,
    bodyEn: en.body,
  };
}
