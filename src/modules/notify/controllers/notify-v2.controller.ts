import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { SkipRateLimit } from '../../../platform/rate-limit/rate-limit.guard.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { NotifyAuthGuard, type NotifyRequest } from '../guards/notify-auth.guard.js';
import { NotifyExceptionFilter } from '../guards/notify-exception.filter.js';
import type { NotifyCaller } from '../services/notify-api-key.service.js';
import { NotifyV2Service } from '../services/notify-v2.service.js';

const obj = { type: 'object', additionalProperties: true } as const;
const NOTIFY_ERROR = {
  description:
    'Notify error body: { "status_code": 400, "errors": [{ "error": "ValidationError", "message": "…" }] }',
};

const callerOf = (req: NotifyRequest): NotifyCaller => req.notifyCaller!;

/**
 * GOV.UK Notify's API v2, so Notify's clients (Node, Python, Java, .NET, Ruby, PHP) work
 * against Diwan unchanged: a JWT signed with the Notify key, Notify's bodies and errors.
 */
@ApiTags('notify-v2')
@ApiBearerAuth('notify-jwt')
@ApiForbiddenResponse(NOTIFY_ERROR)
@ApiTooManyRequestsResponse(NOTIFY_ERROR)
@Controller('v2')
@SkipRateLimit()
@UseGuards(NotifyAuthGuard)
@UseFilters(NotifyExceptionFilter)
export class NotifyV2Controller {
  constructor(private readonly v2: NotifyV2Service) {}

  @Post('notifications/sms')
  @ApiOperation({
    summary: 'Send a text message (Notify: phone_number, template_id, personalisation, reference)',
  })
  @ApiBody({ schema: obj })
  @ApiCreatedResponse({ schema: obj })
  @ApiBadRequestResponse(NOTIFY_ERROR)
  sendSms(@Req() req: NotifyRequest, @Body() body: unknown) {
    return this.v2.send(callerOf(req), 'sms', body);
  }

  @Post('notifications/email')
  @ApiOperation({
    summary: 'Send an email (Notify: email_address, template_id, personalisation, reference)',
  })
  @ApiBody({ schema: obj })
  @ApiCreatedResponse({ schema: obj })
  @ApiBadRequestResponse(NOTIFY_ERROR)
  sendEmail(@Req() req: NotifyRequest, @Body() body: unknown) {
    return this.v2.send(callerOf(req), 'email', body);
  }

  @Post('notifications/letter')
  @ApiOperation({ summary: 'Letters are not sent by Diwan (400)' })
  @ApiBadRequestResponse(NOTIFY_ERROR)
  sendLetter(): never {
    throw new DomainException(NotifyErrors.LETTERS_NOT_SUPPORTED);
  }

  @Get('notifications/:id')
  @ApiOperation({ summary: "A notification's status and content" })
  @ApiOkResponse({ schema: obj })
  getNotification(@Req() req: NotifyRequest, @Param('id') id: string) {
    return this.v2.get(callerOf(req), id);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'Notifications of the service, newest first, 250 a page' })
  @ApiQuery({ name: 'template_type', required: false, enum: ['sms', 'email', 'letter'] })
  @ApiQuery({ name: 'status', required: false, type: String })
  @ApiQuery({ name: 'reference', required: false, type: String })
  @ApiQuery({ name: 'older_than', required: false, type: String })
  @ApiOkResponse({ schema: obj })
  listNotifications(@Req() req: NotifyRequest, @Query() query: Record<string, unknown>) {
    return this.v2.list(callerOf(req), query);
  }

  @Get('template/:id')
  @ApiOperation({
    summary: 'A template, current version (Arabic body; both languages as body_ar / body_en)',
  })
  @ApiOkResponse({ schema: obj })
  getTemplate(@Req() req: NotifyRequest, @Param('id') id: string) {
    return this.v2.template(callerOf(req), id);
  }

  @Get('template/:id/version/:version')
  @ApiOperation({ summary: 'A template at a given version' })
  @ApiOkResponse({ schema: obj })
  getTemplateVersion(
    @Req() req: NotifyRequest,
    @Param('id') id: string,
    @Param('version') version: string,
  ) {
    return this.v2.template(callerOf(req), id, version);
  }

  @Get('templates')
  @ApiOperation({ summary: "The service's templates" })
  @ApiQuery({ name: 'type', required: false, enum: ['sms', 'email', 'letter'] })
  @ApiOkResponse({ schema: obj })
  listTemplates(@Req() req: NotifyRequest, @Query('type') type?: string) {
    return this.v2.templatesList(callerOf(req), type);
  }

  @Post('template/:id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'A template rendered with personalisation' })
  @ApiBody({ schema: obj })
  @ApiOkResponse({ schema: obj })
  preview(@Req() req: NotifyRequest, @Param('id') id: string, @Body() body: unknown) {
    return this.v2.preview(callerOf(req), id, body);
  }
}
