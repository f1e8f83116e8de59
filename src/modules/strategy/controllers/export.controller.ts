import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  StreamableFile,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequireScopes } from '../../../platform/auth/guards.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import type { ExportJob } from '../entities/export-job.entity.js';
import {
  AuditChainDto,
  CreateExportDto,
  ExportJobDto,
  ExportKeyDto,
  VerifyExportDto,
  VerifyResultDto,
} from '../dto/export.dto.js';
import { ExportService } from '../services/export.service.js';

interface UploadedFile {
  path: string;
  size: number;
}

export function toExportJobDto(job: ExportJob): ExportJobDto {
  return {
    id: job.id,
    kind: job.kind,
    format: job.format,
    filters: job.filters,
    status: job.status,
    rowsWritten: String(job.rowsWritten),
    sha256: job.sha256,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    manifest: job.manifest,
  };
}

const CONTENT_TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

@ApiTags('exports')
@Controller('v1/exports')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'Start an auditor export (a job; poll it for progress)' })
  @ApiAcceptedResponse({ type: ExportJobDto })
  async create(@Body() body: CreateExportDto, @CurrentActor() actor: Actor): Promise<ExportJobDto> {
    const job = await this.exports.request(actor, {
      kind: body.kind,
      format: body.format,
      filters: { ...body.filters },
    });
    return toExportJobDto(job);
  }

  @Get('public-key')
  @ApiOperation({ summary: "Diwan's export signing key (Ed25519), to check manifests offline" })
  @ApiOkResponse({ type: ExportKeyDto })
  key(): ExportKeyDto {
    return {
      algorithm: 'Ed25519',
      keyId: this.exports.signer.keyId,
      publicKeyPem: this.exports.signer.publicKeyPem(),
    };
  }

  @Post('verify')
  @HttpCode(200)
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'Check an exported file against its signed manifest' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: VerifyExportDto })
  @ApiOkResponse({ type: VerifyResultDto })
  @UseInterceptors(
    FileFieldsInterceptor(
      [
        { name: 'file', maxCount: 1 },
        { name: 'manifest', maxCount: 1 },
      ],
      { dest: tmpdir(), limits: { fileSize: 8 * 1024 ** 3, files: 2 } },
    ),
  )
  async verify(
    @UploadedFiles() files: { file?: UploadedFile[]; manifest?: UploadedFile[] },
    @CurrentActor() actor: Actor,
  ): Promise<VerifyResultDto> {
    const file = files?.file?.[0];
    const manifestFile = files?.manifest?.[0];
    try {
      if (!file || !manifestFile)
        throw new DomainException(PlatformErrors.VALIDATION_FAILED, 'Send both file and manifest', [
          ...(file ? [] : [{ field: 'file', message: 'required', reason: 'required' }]),
          ...(manifestFile ? [] : [{ field: 'manifest', message: 'required', reason: 'required' }]),
        ]);
      if (manifestFile.size > 1024 * 1024)
        throw new DomainException(PlatformErrors.VALIDATION_FAILED, 'The manifest is too large');
      let manifest: unknown;
      try {
        const chunks: Buffer[] = [];
        for await (const c of createReadStream(manifestFile.path)) chunks.push(c as Buffer);
        manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        throw new DomainException(PlatformErrors.VALIDATION_FAILED, 'The manifest is not JSON', [
          { field: 'manifest', message: 'not JSON', reason: 'format' },
        ]);
      }
      return await this.exports.verify(actor, createReadStream(file.path), manifest);
    } finally {
      for (const f of [file, manifestFile]) if (f) await rm(f.path, { force: true });
    }
  }

  @Get(':id')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'An export: status, progress, and the signed manifest once delivered' })
  @ApiOkResponse({ type: ExportJobDto })
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<ExportJobDto> {
    return toExportJobDto(await this.exports.get(actor, id));
  }

  @Get(':id/manifest')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: "The export's signed manifest, as a file" })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  @Header('Content-Type', 'application/json')
  async manifest(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const job = await this.exports.get(actor, id);
    if (!job.manifest) throw new DomainException(PlatformErrors.NOT_FOUND, 'Not delivered');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="diwan-export-${job.id}.manifest.json"`,
    );
    return job.manifest;
  }

  @Get(':id/file')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'Download the exported file (audited)' })
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async file(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { job, stream } = await this.exports.download(actor, id);
    res.setHeader('Content-Type', CONTENT_TYPES[job.format]);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="diwan-${job.kind}-${job.id.slice(0, 8)}.${job.format}"`,
    );
    if (job.fileBytes) res.setHeader('Content-Length', job.fileBytes);
    return new StreamableFile(stream);
  }
}

@ApiTags('exports')
@Controller('v1/audit')
export class AuditChainController {
  constructor(private readonly exports: ExportService) {}

  @Get('chain')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'The state of the audit hash chain (re-walked now)' })
  @ApiOkResponse({ type: AuditChainDto })
  async chain(@CurrentActor() actor: Actor): Promise<AuditChainDto> {
    const r = await this.exports.auditChain(actor);
    return { ...r, firstBroken: r.firstBroken ? { ...r.firstBroken } : undefined };
  }
}
