import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, RequireScopes } from '../../../../platform/auth/guards.js';
import type { Actor } from '../../../../platform/auth/roles.js';
import { DomainException } from '../../../../platform/errors/domain-exception.js';
import { BulkJobErrors } from '../errors/bulk-job.errors.js';
import { CreateCsvJobDto, CreateJobDto, JobDto, JobListQueryDto } from '../dto/notify-job.dto.js';
import { BulkJobService } from '../services/bulk-job.service.js';

/** A CSV of 100,000 rows with a few personalisation columns is a few MB; this is ample. */
const MAX_CSV_BYTES = 64 * 1024 * 1024;

@ApiTags('notifications')
@Controller('v1/notifications/jobs')
export class NotifyJobsController {
  constructor(private readonly jobs: BulkJobService) {}

  @Post()
  @RequireScopes('notifications:send')
  @ApiOperation({
    summary:
      'Create a bulk job from JSON rows; every row is checked first and one bad row refuses the job (HTTP_BODY_LIMIT_KB bounds the body: use the CSV upload for large jobs)',
  })
  @ApiBody({ type: CreateJobDto })
  @ApiCreatedResponse({ type: JobDto })
  create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<JobDto> {
    return this.jobs.createFromRows(actor, body);
  }

  @Post('csv')
  @RequireScopes('notifications:send')
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 10 } }),
  )
  @ApiOperation({
    summary:
      'Create a bulk job from an uploaded CSV (multipart field `file`): a `phone number`, `email address` or `ekey account` column and one column per placeholder',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: CreateCsvJobDto })
  @ApiCreatedResponse({ type: JobDto })
  createFromCsv(
    @CurrentActor() actor: Actor,
    @Body() body: CreateCsvJobDto,
    @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined,
  ): Promise<JobDto> {
    if (!file)
      throw new DomainException(BulkJobErrors.CSV_INVALID, 'Upload the file in the field "file"', [
        { field: 'file', message: 'required', reason: 'required' },
      ]);
    return this.jobs.createFromCsv(actor, body, {
      bytes: file.buffer,
      fileName: file.originalname ?? null,
    });
  }

  @Get()
  @RequireScopes('notifications:send')
  @ApiOperation({ summary: "The client's agency's jobs, newest first, 50 a page" })
  @ApiOkResponse({ type: [JobDto] })
  list(@CurrentActor() actor: Actor, @Query() query: JobListQueryDto): Promise<JobDto[]> {
    return this.jobs.list(actor, query.before);
  }

  @Get(':id')
  @RequireScopes('notifications:send')
  @ApiOperation({ summary: 'A job with its rows counted per status' })
  @ApiOkResponse({ type: JobDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<JobDto> {
    return this.jobs.get(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('notifications:send')
  @ApiOperation({ summary: 'Cancel a job: rows not yet handed to the send path are never sent' })
  @ApiOkResponse({ type: JobDto })
  cancel(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<JobDto> {
    return this.jobs.cancel(actor, id);
  }
}
