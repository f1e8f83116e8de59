import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Request, Response } from 'express';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { maskCpr } from '../domain/cpr.js';
import type { EkeySession } from '../entities/ekey-session.entity.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { EKEY_SETTINGS, type EkeySettings } from '../ekey.tokens.js';
import {
  AccountResponse,
  ActivityResponse,
  BackupCodesResponse,
  ChangePasswordDto,
  CodeDto,
  CompletePasswordResetDto,
  EmailDto,
  PasskeyAssertionDto,
  PasswordResetPasskeyOptionsDto,
  PasskeyRegistrationDto,
  PasskeyResponse,
  WebAuthnOptionsResponse,
  RegisterEkeyDto,
  RegistrationResponse,
  SecondFactorDto,
  SessionResponse,
  SignInDto,
  SignInResponse,
  StartPasswordResetDto,
  StatusResponse,
  TotpStartResponse,
} from '../dto/ekey.dto.js';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import {
  type ClientInfo,
  EkeyAccountService,
  maskEmail,
} from '../services/ekey-account.service.js';
import { EkeyPasskeyService } from '../services/ekey-passkey.service.js';
import { SECOND_FACTOR_WINDOW_MS, EkeySessionService } from '../services/ekey-session.service.js';
import { EkeySignInService, type SignInResult } from '../services/ekey-sign-in.service.js';
import {
  clearSessionCookie,
  DEVICE_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
} from './ekey-cookies.js';

function clientOf(req: Request): ClientInfo {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent']?.slice(0, 300) ?? null };
}

/** eKey for its holder: registration, sign-in, second factors, sessions and activity (JSON). */
@ApiTags('ekey')
@Controller('v1/ekey')
export class EkeyAccountController {
  constructor(
    private readonly accounts: EkeyAccountService,
    private readonly accountRepo: EkeyAccountRepository,
    private readonly signIns: EkeySignInService,
    private readonly sessions: EkeySessionService,
    private readonly passkeys: EkeyPasskeyService,
    @Inject(EKEY_SETTINGS) private readonly settings: EkeySettings,
  ) {}

  @Post('registrations')
  @ApiOperation({ summary: 'Register an eKey; an SMS code goes to the mobile' })
  @ApiCreatedResponse({ type: RegistrationResponse })
  async register(@Body() dto: RegisterEkeyDto, @Req() req: Request): Promise<RegistrationResponse> {
    const r = await this.accounts.register(dto, clientOf(req));
    return { accountId: r.accountId, status: 'pending', mobileMasked: r.mobileMasked };
  }

  @Post('registrations/:id/verify-mobile')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the SMS code: the eKey becomes active (5 guesses per code)' })
  @ApiOkResponse({ type: StatusResponse })
  async verifyMobile(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CodeDto,
    @Req() req: Request,
  ): Promise<StatusResponse> {
    await this.accounts.verifyMobile(id, dto.code, clientOf(req));
    return { status: 'active' };
  }

  @Post('registrations/:id/resend-code')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a new SMS code (the previous one stops working)' })
  @ApiAcceptedResponse({ type: StatusResponse })
  async resend(@Param('id', new ParseUUIDPipe()) id: string): Promise<StatusResponse> {
    await this.accounts.resendMobileCode(id);
    return { status: 'pending' };
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'CPR and password; the same 401 for an unknown CPR, a wrong password or a locked eKey',
  })
  @ApiOkResponse({ type: SignInResponse })
  async signIn(
    @Body() dto: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignInResponse> {
    const result = await this.signIns.signIn(dto, {
      ...clientOf(req),
      deviceToken: readCookie(req, DEVICE_COOKIE),
    });
    return this.issue(res, result);
  }

  @Post('sign-in/sms-code')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send an SMS code for the pending sign-in (weaker than an app)' })
  @ApiAcceptedResponse({ type: StatusResponse })
  async smsCode(@Req() req: Request): Promise<StatusResponse> {
    await this.signIns.sendSmsCode(readCookie(req, SESSION_COOKIE), clientOf(req));
    return { status: 'sent' };
  }

  @Post('sign-in/second-factor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Second factor of a pending sign-in; the session id changes' })
  @ApiOkResponse({ type: SignInResponse })
  async secondFactor(
    @Body() dto: SecondFactorDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignInResponse> {
    const result = await this.signIns.completeSecondFactor(readCookie(req, SESSION_COOKIE), dto, {
      ...clientOf(req),
      deviceToken: readCookie(req, DEVICE_COOKIE),
    });
    return this.issue(res, result);
  }

  @Post('sign-in/passkey/options')
  @HttpCode(200)
  @ApiOperation({ summary: 'WebAuthn options to sign the pending sign-in with a passkey' })
  @ApiOkResponse({ type: WebAuthnOptionsResponse })
  async passkeySignInOptions(@Req() req: Request): Promise<WebAuthnOptionsResponse> {
    const options = await this.signIns.passkeyOptions(
      readCookie(req, SESSION_COOKIE),
      clientOf(req),
    );
    return { publicKey: options as unknown as Record<string, unknown> };
  }

  @Post('sign-in/passkey')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A passkey (user verification required) as the second factor; the session id changes',
  })
  @ApiOkResponse({ type: SignInResponse })
  async passkeySignIn(
    @Body() dto: PasskeyAssertionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignInResponse> {
    const result = await this.signIns.completeWithPasskey(
      readCookie(req, SESSION_COOKIE),
      dto.response as unknown as AuthenticationResponseJSON,
      { ...clientOf(req), deviceToken: readCookie(req, DEVICE_COOKIE) },
    );
    return this.issue(res, result);
  }

  @Post('password-reset')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a password reset: an SMS code goes to the mobile if CPR and mobile match',
  })
  @ApiAcceptedResponse({ type: StatusResponse })
  async startReset(
    @Body() dto: StartPasswordResetDto,
    @Req() req: Request,
  ): Promise<StatusResponse> {
    await this.signIns.startPasswordReset(dto, clientOf(req));
    return { status: 'accepted' };
  }

  @Post('password-reset/passkey/options')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'WebAuthn options for a password reset answered with a passkey (same answer for every CPR)',
  })
  @ApiOkResponse({ type: WebAuthnOptionsResponse })
  async resetPasskeyOptions(
    @Body() dto: PasswordResetPasskeyOptionsDto,
    @Req() req: Request,
  ): Promise<WebAuthnOptionsResponse> {
    const options = await this.signIns.passwordResetPasskeyOptions(dto, clientOf(req));
    return { publicKey: options as unknown as Record<string, unknown> };
  }

  @Post('password-reset/complete')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'SMS code (+ app, passkey or backup code when set up) and a new password; every session ends',
  })
  @ApiNoContentResponse()
  async completeReset(@Body() dto: CompletePasswordResetDto, @Req() req: Request): Promise<void> {
    const second = dto.secondFactor;
    await this.signIns.completePasswordReset(
      {
        ...dto,
        secondFactor: !second
          ? undefined
          : second.method === 'passkey'
            ? {
                method: 'passkey',
                response: second.response as unknown as AuthenticationResponseJSON,
              }
            : { method: second.method, code: second.code ?? '' },
      },
      clientOf(req),
    );
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiNoContentResponse()
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE), 'active');
    if (session) await this.sessions.revoke(session.id);
    clearSessionCookie(res);
  }

  @Get('me')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ type: AccountResponse })
  async me(@Req() req: Request): Promise<AccountResponse> {
    const session = await this.session(req);
    const a = await this.accountRepo.findById(session.accountId);
    if (!a) throw new DomainException(EkeyErrors.SESSION_REQUIRED);
    return {
      id: a.id,
      cprMasked: maskCpr(`******${a.cprLast3}`),
      nameAr: a.nameAr,
      nameEn: a.nameEn,
      level: a.level,
      residency: a.residency,
      emailMasked: maskEmail(this.accounts.emailOf(a)),
      emailVerified: a.emailVerifiedAt !== null,
      totpEnabled: a.totpEnabledAt !== null,
      backupCodesLeft: await this.accountRepo.countUnusedBackupCodes(a.id),
      amr: session.amr,
    };
  }

  @Get('me/activity')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ type: [ActivityResponse] })
  async activity(@Req() req: Request): Promise<ActivityResponse[]> {
    const session = await this.session(req);
    const rows = await this.accountRepo.listActivity(session.accountId, 100);
    return rows.map((r) => ({
      kind: r.kind,
      occurredAt: r.occurredAt.toISOString(),
      ip: r.ip,
      userAgent: r.userAgent,
    }));
  }

  @Get('me/sessions')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ type: [SessionResponse] })
  async listSessions(@Req() req: Request): Promise<SessionResponse[]> {
    const session = await this.session(req);
    const rows = await this.sessions.listLive(session.accountId);
    return rows.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
    }));
  }

  @Delete('me/sessions/:id')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiNoContentResponse({ description: 'The session is ended (another device signs out)' })
  async revokeSession(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: Request,
  ): Promise<void> {
    const session = await this.session(req);
    if (!(await this.sessions.revokeOfAccountById(session.accountId, id)))
      throw new DomainException(EkeyErrors.ACCOUNT_NOT_FOUND, 'No such live session of yours');
  }

  @Post('me/email')
  @HttpCode(202)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({
    summary:
      'Set the e-mail address (or send a new code to it): it counts as verified only after the code',
  })
  @ApiAcceptedResponse({ type: StatusResponse })
  async changeEmail(@Body() dto: EmailDto, @Req() req: Request): Promise<StatusResponse> {
    const session = await this.session(req);
    await this.accounts.changeEmail(session.accountId, dto.email, clientOf(req));
    return { status: 'sent' };
  }

  @Post('me/email/verify')
  @HttpCode(200)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Confirm the e-mailed code (5 guesses per code)' })
  @ApiOkResponse({ type: StatusResponse })
  async verifyEmail(@Body() dto: CodeDto, @Req() req: Request): Promise<StatusResponse> {
    const session = await this.session(req);
    await this.accounts.verifyEmail(session.accountId, dto.code, clientOf(req));
    return { status: 'verified' };
  }

  @Post('me/passkeys/options')
  @HttpCode(200)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'WebAuthn options to register a passkey (user verification required)' })
  @ApiOkResponse({ type: WebAuthnOptionsResponse })
  async passkeyOptions(@Req() req: Request): Promise<WebAuthnOptionsResponse> {
    const session = await this.session(req);
    const options = await this.passkeys.registrationOptions(session.accountId);
    return { publicKey: options as unknown as Record<string, unknown> };
  }

  @Post('me/passkeys')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Register the passkey the authenticator created' })
  @ApiCreatedResponse({ type: PasskeyResponse })
  async addPasskey(
    @Body() dto: PasskeyRegistrationDto,
    @Req() req: Request,
  ): Promise<PasskeyResponse> {
    const session = await this.session(req);
    const p = await this.passkeys.register(
      session.accountId,
      dto.response as unknown as RegistrationResponseJSON,
      dto.name,
      clientOf(req),
    );
    return passkeyJson(p);
  }

  @Get('me/passkeys')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ type: [PasskeyResponse] })
  async listPasskeys(@Req() req: Request): Promise<PasskeyResponse[]> {
    const session = await this.session(req);
    return (await this.passkeys.list(session.accountId)).map(passkeyJson);
  }

  @Delete('me/passkeys/:id')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiNoContentResponse({ description: 'The passkey no longer signs in (alert sent)' })
  async removePasskey(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: Request,
  ): Promise<void> {
    const session = await this.session(req);
    await this.passkeys.remove(session.accountId, id, clientOf(req));
  }

  @Post('me/totp')
  @HttpCode(200)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Start setting up an authenticator app' })
  @ApiOkResponse({ type: TotpStartResponse })
  async startTotp(@Req() req: Request): Promise<TotpStartResponse> {
    const session = await this.session(req);
    return this.accounts.startTotp(session.accountId);
  }

  @Post('me/totp/confirm')
  @HttpCode(200)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Confirm with a first code; returns ten backup codes, shown once' })
  @ApiOkResponse({ type: BackupCodesResponse })
  async confirmTotp(@Body() dto: CodeDto, @Req() req: Request): Promise<BackupCodesResponse> {
    const session = await this.session(req);
    return {
      backupCodes: await this.accounts.confirmTotp(session.accountId, dto.code, clientOf(req)),
    };
  }

  @Post('me/backup-codes')
  @HttpCode(200)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ type: BackupCodesResponse })
  async backupCodes(@Req() req: Request): Promise<BackupCodesResponse> {
    const session = await this.session(req);
    return {
      backupCodes: await this.accounts.regenerateBackupCodes(session.accountId, clientOf(req)),
    };
  }

  @Post('me/password')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Change the password; every session ends' })
  @ApiNoContentResponse()
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const session = await this.session(req);
    await this.accounts.changePassword(session.accountId, dto, clientOf(req));
    clearSessionCookie(res);
  }

  private async session(req: Request): Promise<EkeySession> {
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE), 'active');
    if (!session) throw new DomainException(EkeyErrors.SESSION_REQUIRED);
    return session;
  }

  private issue(res: Response, result: SignInResult): SignInResponse {
    setSessionCookie(
      res,
      result.token,
      result.stage === 'active' ? this.settings.sessionAbsoluteMs : SECOND_FACTOR_WINDOW_MS,
    );
    if (result.deviceToken) setDeviceCookie(res, result.deviceToken);
    return { stage: result.stage, methods: result.methods };
  }
}

function passkeyJson(p: {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  transports: string[];
}): PasskeyResponse {
  return {
    id: p.id,
    name: p.name,
    createdAt: p.createdAt.toISOString(),
    lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
    transports: p.transports,
  };
}
