import type { Response } from 'express';
import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentActor, RequireScopes } from '../../../platform/auth/guards.js';
import type { Actor } from '../../../platform/auth/roles.js';
import {
  NotificationDto,
  NotificationListDto,
  NotificationListQueryDto,
  PaperLetterQueryDto,
  PaperLetterReportDto,
  SendNotificationDto,
} from '../dto/notify-v1.dto.js';
import { NotifyV1Service } from '../services/notify-v1.service.js';

@ApiTags('notifications')
@Controller('v1/notifications')
export class NotifyV1Controller {
  constructor(private readonly v1: NotifyV1Service) {}

  @Post()
  @RequireScopes('notifications:send')
  @ApiOperation({
    summary:
      'Send a notification to a phone number, an email address or an eKey account (once per Idempotency-Key)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'One key per notification; a retry reuses it and gets the first answer',
  })
  @ApiCreatedResponse({ type: NotificationDto })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED, NOTIFY_IDEMPOTENCY_IN_PROGRESS' })
  @ApiUnprocessableEntityResponse({
    description:
      'NOTIFY_EKEY_ACCOUNT_UNKNOWN, NOTIFY_EKEY_NO_VERIFIED_CONTACT, NOTIFY_RECIPIENT_OPTED_OUT',
  })
  @ApiTooManyRequestsResponse({ description: 'NOTIFY_DAILY_LIMIT_EXCEEDED (Retry-After)' })
  async send(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: SendNotificationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NotificationDto> {
    const answer = await this.v1.send(actor, key, body);
    res.status(answer.status);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }

  @Get('statistics/paper-letters')
  @RequireScopes()
  @ApiOperation({
    summary:
      'Per agency and month: paper letters replaced, messages sent, delivered, failed and SMS segments. Scope notifications:send (own agency) or reports:read (all agencies).',
  })
  @ApiOkResponse({ type: PaperLetterReportDto })
  paperLetters(
    @CurrentActor() actor: Actor,
    @Query() query: PaperLetterQueryDto,
  ): Promise<PaperLetterReportDto> {
    return this.v1.paperLetters(actor, query);
  }

  @Get()
  @RequireScopes('notifications:send')
  @ApiOperation({ summary: 'Notifications this e-service sent, newest first' })
  @ApiOkResponse({ type: NotificationListDto })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: NotificationListQueryDto,
  ): Promise<NotificationListDto> {
    return this.v1.list(actor, query);
  }

  @Get(':id')
  @RequireScopes('notifications:send')
  @ApiOperation({ summary: 'One notification this e-service sent (recipient masked)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND' })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<NotificationDto> {
    return this.v1.get(actor, id);
  }
}
