import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Interaction } from 'oidc-provider';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import type { EkeySession } from '../entities/ekey-session.entity.js';
import { achievedAcr, requestedTwoFactors } from '../oidc/acr.js';
import { EkeyOidcProvider, INTERACTION_PATH } from '../oidc/ekey-oidc-provider.js';
import {
  consentPage,
  messagePage,
  type PageLang,
  pickLang,
  secondFactorPage,
  signInPage,
} from '../pages/ekey-pages.js';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import { SECOND_FACTOR_WINDOW_MS, EkeySessionService } from '../services/ekey-session.service.js';
import { EkeySignInService, type SignInResult } from '../services/ekey-sign-in.service.js';
import {
  DEVICE_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
} from './ekey-cookies.js';

/** Bilingual messages of the errors a sign-in page shows. */
const MESSAGES: Record<string, { ar: string; en: string }> = {
  EKEY_INVALID_CREDENTIALS: {
    ar: 'الرقم الشخصي أو كلمة المرور غير صحيحة.',
    en: 'The CPR number or the password is not correct.',
  },
  EKEY_INVALID_CPR: {
    ar: 'أدخل الأرقام التسعة لرقمك الشخصي.',
    en: 'Enter the 9 digits of your CPR number.',
  },
  EKEY_THROTTLED: {
    ar: 'محاولات فاشلة كثيرة؛ انتظر قليلًا ثم حاول مجددًا.',
    en: 'Too many failed attempts; wait a little and try again.',
  },
  EKEY_CODE_INVALID: { ar: 'الرمز غير صحيح.', en: 'The code is not correct.' },
  EKEY_CODE_EXPIRED: {
    ar: 'انتهت صلاحية الرمز؛ اطلب رمزًا جديدًا.',
    en: 'The code has expired; ask for a new one.',
  },
  EKEY_CODE_ATTEMPTS_EXHAUSTED: {
    ar: 'محاولات خاطئة كثيرة؛ اطلب رمزًا جديدًا.',
    en: 'Too many wrong codes; ask for a new one.',
  },
  EKEY_LOCKED: {
    ar: 'تم قفل المفتاح الإلكتروني؛ تواصل مع مكتب الخدمة.',
    en: 'The eKey is locked; contact the service desk.',
  },
  RATE_LIMITED: { ar: 'طلبات كثيرة؛ حاول لاحقًا.', en: 'Too many requests; try later.' },
};

function messageOf(e: unknown, lang: PageLang): { status: number; text: string } {
  if (e instanceof DomainException) {
    const m = MESSAGES[e.code];
    return { status: e.definition.status, text: m ? m[lang] : e.definition.title };
  }
  throw e;
}

interface LoginForm {
  cpr?: string;
  password?: string;
  lang?: string;
}
interface CodeForm {
  method?: string;
  code?: string;
  lang?: string;
}

/**
 * The OpenID provider's interactions as eKey pages: sign-in, second factor (when the
 * account has one or `acr_values` asks for two factors) and consent. Plain forms, no
 * JavaScript; an existing eKey session that is strong enough signs in without a form.
 */
@ApiExcludeController()
@Controller(INTERACTION_PATH.slice(1))
export class EkeyInteractionController {
  constructor(
    private readonly oidc: EkeyOidcProvider,
    private readonly signIns: EkeySignInService,
    private readonly sessions: EkeySessionService,
    private readonly accounts: EkeyAccountRepository,
  ) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(req.query.lang);
    const details = await this.details(req, res, lang);
    if (!details) return;
    if (details.prompt.name === 'consent') return this.showConsent(details, lang, res);
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE), 'active');
    if (session && this.strongEnough(session, details)) return this.finishLogin(req, res, session);
    this.html(
      res,
      200,
      signInPage({ lang, action: `${this.base(uid)}/login`, self: this.base(uid) }),
      details,
    );
  }

  @Post(':uid/login')
  async login(
    @Param('uid') uid: string,
    @Body() form: LoginForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    const details = await this.details(req, res, lang);
    if (!details) return;
    let result: SignInResult;
    try {
      result = await this.signIns.signIn(
        {
          cpr: String(form.cpr ?? ''),
          password: String(form.password ?? ''),
          requireSecondFactor: requestedTwoFactors(details.params.acr_values),
        },
        this.client(req),
      );
    } catch (e) {
      const { status, text } = messageOf(e, lang);
      const page = signInPage({
        lang,
        action: `${this.base(uid)}/login`,
        self: this.base(uid),
        error: text,
      });
      return this.html(res, status, page, details);
    }
    this.setCookies(res, result);
    if (result.stage === 'second_factor')
      return this.html(res, 200, this.secondFactor(uid, lang, result.methods), details);
    const session = await this.sessions.resolve(result.token, 'active');
    return this.finishLogin(req, res, session!);
  }

  @Post(':uid/sms')
  async sms(
    @Param('uid') uid: string,
    @Body() form: CodeForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    const details = await this.details(req, res, lang);
    if (!details) return;
    try {
      await this.signIns.sendSmsCode(readCookie(req, SESSION_COOKIE), this.client(req));
    } catch (e) {
      const { status, text } = messageOf(e, lang);
      return this.html(res, status, this.secondFactor(uid, lang, ['sms'], text), details);
    }
    const notice = lang === 'ar' ? 'أرسلنا رمزًا إلى هاتفك.' : 'We sent a code to your mobile.';
    this.html(res, 200, this.secondFactor(uid, lang, ['sms'], undefined, notice), details);
  }

  @Post(':uid/second-factor')
  async secondFactorStep(
    @Param('uid') uid: string,
    @Body() form: CodeForm,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    const details = await this.details(req, res, lang);
    if (!details) return;
    const method = (['totp', 'backup_code', 'sms'] as const).find((m) => m === form.method);
    let result: SignInResult;
    try {
      if (!method) throw new DomainException(EkeyErrors.CODE_INVALID);
      result = await this.signIns.completeSecondFactor(
        readCookie(req, SESSION_COOKIE),
        { method, code: String(form.code ?? '') },
        this.client(req),
      );
    } catch (e) {
      if (e instanceof DomainException && e.definition === EkeyErrors.SESSION_REQUIRED) {
        const page = signInPage({ lang, action: `${this.base(uid)}/login`, self: this.base(uid) });
        return this.html(res, 401, page, details);
      }
      const { status, text } = messageOf(e, lang);
      return this.html(
        res,
        status,
        this.secondFactor(uid, lang, ['totp', 'backup_code', 'sms'], text),
        details,
      );
    }
    this.setCookies(res, result);
    const session = await this.sessions.resolve(result.token, 'active');
    return this.finishLogin(req, res, session!);
  }

  @Post(':uid/consent')
  async consent(
    @Param('uid') _uid: string,
    @Body() form: { decision?: string; lang?: string },
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const details = await this.details(req, res, pickLang(form.lang));
    if (!details) return;
    if (details.prompt.name !== 'consent' || !details.session)
      return this.html(res, 400, messagePage(pickLang(form.lang), 'error'), details);
    if (form.decision !== 'allow') {
      return this.oidc.provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The holder did not allow it' },
        { mergeWithLastSubmission: false },
      );
    }
    const { provider } = this.oidc;
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({
          accountId: details.session.accountId,
          clientId: String(details.params.client_id),
        }))
      : new provider.Grant({
          accountId: details.session.accountId,
          clientId: String(details.params.client_id),
        });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  private async showConsent(details: Interaction, lang: PageLang, res: Response) {
    const client = await this.oidc.provider.Client.find(String(details.params.client_id));
    const scopes = (typeof details.params.scope === 'string' ? details.params.scope : '')
      .split(/\s+/)
      .filter(Boolean);
    this.html(
      res,
      200,
      consentPage({
        lang,
        action: `${this.base(details.uid)}/consent`,
        clientName: client?.clientName ?? String(details.params.client_id),
        scopes,
      }),
      details,
    );
  }

  private async finishLogin(req: Request, res: Response, session: EkeySession) {
    const account = await this.accounts.findById(session.accountId);
    if (!account) return this.html(res, 401, messagePage('ar', 'error'));
    await this.oidc.provider.interactionFinished(
      req,
      res,
      {
        login: {
          accountId: account.id,
          acr: achievedAcr(account.level, session.amr),
          amr: session.amr,
          remember: false,
        },
      },
      { mergeWithLastSubmission: false },
    );
  }

  private strongEnough(session: EkeySession, details: Interaction): boolean {
    const fresh =
      details.params.prompt !== 'login' &&
      !(typeof details.params.prompt === 'string' ? details.params.prompt : '').includes('login');
    return (
      fresh && (!requestedTwoFactors(details.params.acr_values) || session.amr.includes('mfa'))
    );
  }

  private async details(
    req: Request,
    res: Response,
    lang: PageLang,
  ): Promise<Interaction | undefined> {
    try {
      return await this.oidc.provider.interactionDetails(req, res);
    } catch {
      this.html(
        res,
        400,
        messagePage(
          lang,
          'error',
          lang === 'ar'
            ? 'انتهت صلاحية الطلب؛ ابدأ من الخدمة الإلكترونية مجددًا.'
            : 'This request has expired; start again from the e-service.',
        ),
      );
      return undefined;
    }
  }

  private secondFactor(
    uid: string,
    lang: PageLang,
    methods: string[],
    error?: string,
    notice?: string,
  ) {
    return secondFactorPage({
      lang,
      action: `${this.base(uid)}/second-factor`,
      smsAction: `${this.base(uid)}/sms`,
      methods,
      error,
      notice,
    });
  }

  private setCookies(res: Response, result: SignInResult) {
    setSessionCookie(
      res,
      result.token,
      result.stage === 'active' ? 12 * 3600_000 : SECOND_FACTOR_WINDOW_MS,
    );
    if (result.deviceToken) setDeviceCookie(res, result.deviceToken);
  }

  private client(req: Request) {
    return {
      ip: req.ip ?? null,
      userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
      deviceToken: readCookie(req, DEVICE_COOKIE),
    };
  }

  private base(uid: string): string {
    return `${INTERACTION_PATH}/${encodeURIComponent(uid)}`;
  }

  /** The page, with a CSP that lets its form lead (through /oidc) back to the e-service. */
  private html(res: Response, status: number, page: string, details?: Interaction) {
    let rp = '';
    try {
      if (typeof details?.params.redirect_uri === 'string')
        rp = ` ${new URL(details.params.redirect_uri).origin}`;
    } catch {
      rp = '';
    }
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; form-action 'self'${rp}; frame-ancestors 'none'; base-uri 'none'`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('html').send(page);
  }
}
