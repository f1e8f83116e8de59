import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequireScopes } from '../../../platform/auth/guards.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { contentShapeErrors } from '../domain/content-shape.js';
import type { EditionContentDraft } from '../domain/edition-content.js';
import { malformedFields, missingRequiredFields } from '../domain/edition-content.js';
import {
  CreateServiceDto,
  EditionResponse,
  StartDraftDto,
  SubmitDraftDto,
  UpdateDraftDto,
} from '../dto/draft.dto.js';
import { type EditionRef, RegistryWorkflowService } from '../services/registry-workflow.service.js';

function checkShape(content: EditionContentDraft | undefined): void {
  if (!content) return;
  const errors = contentShapeErrors(content);
  if (errors.length)
    throw new DomainException(
      PlatformErrors.VALIDATION_FAILED,
      `${errors.length} field(s) of the content have the wrong type`,
      errors,
    );
}

/** `If-Match: "3"` (or `3`, or `W/"3"`) → 3; absent → the body's expectedVersion. */
export function versionFrom(ifMatch: string | undefined, body?: number): number | undefined {
  if (ifMatch === undefined) return body;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!m)
    throw new DomainException(
      PlatformErrors.INVALID_PARAMETER,
      'If-Match must be the edition version',
      [{ field: 'header.if-match', message: 'expected "<version>"', reason: 'format' }],
    );
  return Number(m[1]);
}

export function editionResponse({ service, edition }: EditionRef): EditionResponse {
  return {
    id: edition.id,
    code: service.code,
    editionNumber: edition.editionNumber,
    status: edition.status,
    version: edition.version,
    changeNote: edition.changeNote,
    reviewNote: edition.reviewNote ?? null,
    content: edition.content,
    missing: missingRequiredFields(edition.content),
    malformed: malformedFields(edition.content),
    submittedAt: edition.submittedAt ? edition.submittedAt.toISOString() : null,
    publishedAt: edition.publishedAt ? edition.publishedAt.toISOString() : null,
  };
}

function withEtag(res: Response, ref: EditionRef): EditionResponse {
  res.setHeader('ETag', `"${ref.edition.version}"`);
  res.setHeader('Cache-Control', 'no-store');
  return editionResponse(ref);
}

/** For agencies' own systems (API clients with registry:write): drafts and submission. */
@ApiTags('registry (agencies)')
@Controller('v1/registry/services')
@RequireScopes('registry:write')
export class RegistryApiController {
  constructor(private readonly workflow: RegistryWorkflowService) {}

  @Post()
  @ApiOperation({ summary: 'Create a service of your agency, with its first draft' })
  @ApiCreatedResponse({ type: EditionResponse })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateServiceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EditionResponse> {
    checkShape(body.content);
    return withEtag(res, await this.workflow.createService(actor, body));
  }

  @Get(':code/draft')
  @ApiOperation({ summary: 'The working draft of a service (ETag = its version)' })
  @ApiOkResponse({ type: EditionResponse })
  async draft(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EditionResponse> {
    return withEtag(res, await this.workflow.getDraft(actor, code));
  }

  @Post(':code/draft')
  @ApiOperation({
    summary: 'Start a new draft, from the published content unless content is given',
  })
  @ApiCreatedResponse({ type: EditionResponse })
  @ApiConflictResponse({ description: 'A draft already exists' })
  async startDraft(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() body: StartDraftDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EditionResponse> {
    checkShape(body.content);
    return withEtag(res, await this.workflow.startDraft(actor, code, body));
  }

  @Put(':code/draft')
  @ApiOperation({
    summary: 'Replace the draft content (If-Match or expectedVersion required; 409 if it changed)',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you edited, e.g. "3"' })
  @ApiOkResponse({ type: EditionResponse })
  @ApiConflictResponse({ description: 'Someone changed the draft since you read it' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() body: UpdateDraftDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EditionResponse> {
    checkShape(body.content);
    const expected = versionFrom(ifMatch, body.expectedVersion);
    const { edition } = await this.workflow.getDraft(actor, code);
    return withEtag(
      res,
      await this.workflow.updateDraft(
        actor,
        edition.id,
        { content: body.content, changeNote: body.changeNote },
        expected,
      ),
    );
  }

  @Post(':code/draft/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit the draft for review by an approver of the agency' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: EditionResponse })
  async submit(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() body: SubmitDraftDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EditionResponse> {
    const { edition } = await this.workflow.getDraft(actor, code);
    return withEtag(
      res,
      await this.workflow.submit(actor, edition.id, versionFrom(ifMatch, body.expectedVersion)),
    );
  }
}
