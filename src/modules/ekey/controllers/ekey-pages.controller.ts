import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { maskCpr } from '../domain/cpr.js';
import type { EkeySession } from '../entities/ekey-session.entity.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { EKEY_SETTINGS, type EkeySettings } from '../ekey.tokens.js';
import {
  accountPage,
  activePage,
  emailPage,
  type RegistrationFormValues,
  registrationPage,
  verifyMobilePage,
} from '../pages/ekey-account-pages.js';
import {
  messagePage,
  type PageLang,
  pickLang,
  secondFactorPage,
  signInPage,
} from '../pages/ekey-pages.js';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import {
  type ClientInfo,
  EkeyAccountService,
  maskEmail,
} from '../services/ekey-account.service.js';
import { EkeyPasskeyService } from '../services/ekey-passkey.service.js';
import { EkeySessionService, SECOND_FACTOR_WINDOW_MS } from '../services/ekey-session.service.js';
import { EkeySignInService, type SignInResult } from '../services/ekey-sign-in.service.js';
import {
  clearSessionCookie,
  DEVICE_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
} from './ekey-cookies.js';

/** Double-submit CSRF token: a `__Host-` cookie (no sub-domain can plant one) echoed in each form. */
const CSRF_COOKIE = '__Host-ekey_csrf';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Form = Record<string, string | undefined>;

/** Bilingual texts of the errors these pages show; others fall back to a generic line. */
const MESSAGES: Record<string, { ar: string; en: string }> = {
  EKEY_INVALID_CPR: {
    ar: 'أدخل الأرقام التسعة لرقمك الشخصي.',
    en: 'Enter the 9 digits of your CPR number.',
  },
  EKEY_INVALID_MOBILE: { ar: 'رقم الهاتف غير صحيح.', en: 'The mobile number is not valid.' },
  EKEY_INVALID_EMAIL: { ar: 'البريد الإلكتروني غير صحيح.', en: 'The e-mail address is not valid.' },
  EKEY_PASSWORD_TOO_SHORT: { ar: 'كلمة المرور قصيرة جدًا.', en: 'The password is too short.' },
  EKEY_PASSWORD_TOO_LONG: { ar: 'كلمة المرور طويلة جدًا.', en: 'The password is too long.' },
  EKEY_PASSWORD_COMMON: { ar: 'كلمة المرور شائعة جدًا.', en: 'The password is too common.' },
  EKEY_PASSWORD_CONTAINS_CONTEXT: {
    ar: 'كلمة المرور تحتوي على رقمك الشخصي أو اسمك.',
    en: 'The password contains your CPR number or your name.',
  },
  EKEY_ALREADY_REGISTERED: {
    ar: 'يوجد مفتاح إلكتروني مفعّل لهذا الرقم الشخصي.',
    en: 'An active eKey already exists for this CPR number.',
  },
  EKEY_INVALID_CREDENTIALS: {
    ar: 'الرقم الشخصي أو كلمة المرور غير صحيحة.',
    en: 'The CPR number or the password is not correct.',
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
  EKEY_THROTTLED: {
    ar: 'محاولات فاشلة كثيرة؛ انتظر قليلًا ثم حاول مجددًا.',
    en: 'Too many failed attempts; wait a little and try again.',
  },
  EKEY_LOCKED: {
    ar: 'تم قفل المفتاح الإلكتروني؛ تواصل مع مكتب الخدمة.',
    en: 'The eKey is locked; contact the service desk.',
  },
  EKEY_NOT_PENDING: {
    ar: 'هذا التسجيل مكتمل أو غير موجود.',
    en: 'This registration is complete or does not exist.',
  },
  EKEY_REGISTRATION_NOT_FOUND: { ar: 'هذا التسجيل غير موجود.', en: 'No such registration.' },
  EKEY_PASSKEY_NOT_FOUND: { ar: 'مفتاح المرور غير موجود.', en: 'No such passkey.' },
  RATE_LIMITED: { ar: 'طلبات كثيرة؛ حاول لاحقًا.', en: 'Too many requests; try later.' },
  FORM: { ar: 'راجع الحقول المعلّمة.', en: 'Check the marked fields.' },
  CSRF: {
    ar: 'انتهت صلاحية النموذج؛ افتح الصفحة مجددًا.',
    en: 'This form has expired; open the page again.',
  },
};
const NOTICES: Record<string, { ar: string; en: string }> = {
  revoked: { ar: 'تم إنهاء الجلسة.', en: 'The session was ended.' },
  passkey_removed: { ar: 'تمت إزالة مفتاح المرور.', en: 'The passkey was removed.' },
  email_sent: {
    ar: 'أرسلنا رمز التأكيد إلى بريدك.',
    en: 'We sent the confirmation code to your e-mail.',
  },
  email_verified: { ar: 'تم تأكيد بريدك الإلكتروني.', en: 'Your e-mail address is confirmed.' },
  code_sent: { ar: 'أرسلنا رمزًا جديدًا.', en: 'We sent a new code.' },
};

function problem(e: unknown, lang: PageLang): { status: number; text: string; fields: string[] } {
  if (!(e instanceof DomainException)) throw e;
  const m = MESSAGES[e.code];
  return {
    status: e.definition.status,
    text: m ? m[lang] : lang === 'ar' ? 'تعذر إتمام الطلب.' : e.definition.title,
    fields: e.errors.map((f) => f.field),
  };
}

/**
 * eKey's own server-rendered pages (no JavaScript): registration with the SMS code, a
 * sign-in for the account pages, the account page (activity, devices and sessions with
 * revoke, passkeys, e-mail) and e-mail verification. Every POST checks the CSRF token;
 * successful POSTs redirect (303) so a reload never repeats them.
 */
@ApiExcludeController()
@Controller('ekey')
export class EkeyPagesController {
  constructor(
    private readonly accounts: EkeyAccountService,
    private readonly accountRepo: EkeyAccountRepository,
    private readonly signIns: EkeySignInService,
    private readonly sessions: EkeySessionService,
    private readonly passkeys: EkeyPasskeyService,
    @Inject(EKEY_SETTINGS) private readonly settings: EkeySettings,
  ) {}

  // --- registration -----------------------------------------------------------------

  @Get('register')
  showRegistration(@Query('lang') q: unknown, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(q);
    this.html(res, 200, registrationPage({ lang, csrf: this.csrf(req, res) }));
  }

  @Post('register')
  async register(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const values: RegistrationFormValues = {
      cpr: form.cpr?.trim(),
      nameAr: form.nameAr?.trim(),
      nameEn: form.nameEn?.trim(),
      nationality: form.nationality?.trim().toUpperCase(),
      residency: form.residency,
      dateOfBirth: form.dateOfBirth?.trim(),
      mobile: form.mobile?.trim(),
      email: form.email?.trim(),
    };
    const again = (status: number, text: string, invalid: string[]) =>
      this.html(
        res,
        status,
        registrationPage({ lang, csrf: this.csrf(req, res), values, error: text, invalid }),
      );
    const invalid = [
      ...(!values.nameAr || values.nameAr.length < 2 || values.nameAr.length > 200
        ? ['nameAr']
        : []),
      ...(!values.nameEn || values.nameEn.length < 2 || values.nameEn.length > 200
        ? ['nameEn']
        : []),
      ...(/^[A-Z]{2}$/.test(values.nationality ?? '') ? [] : ['nationality']),
      ...(values.residency === 'citizen' || values.residency === 'resident' ? [] : ['residency']),
      ...(isDate(values.dateOfBirth) ? [] : ['dateOfBirth']),
    ];
    if (invalid.length) return again(400, MESSAGES.FORM[lang], invalid);
    try {
      const { accountId } = await this.accounts.register(
        {
          cpr: values.cpr ?? '',
          nameAr: values.nameAr!,
          nameEn: values.nameEn!,
          nationality: values.nationality!,
          residency: values.residency as 'citizen' | 'resident',
          dateOfBirth: values.dateOfBirth!,
          mobile: values.mobile ?? '',
          email: values.email || null,
          password: form.password ?? '',
          lang,
        },
        clientOf(req),
      );
      this.redirect(res, `/ekey/register/${accountId}/verify`, lang);
    } catch (e) {
      const p = problem(e, lang);
      again(p.status, p.text, p.fields.length ? p.fields : ['password']);
    }
  }

  @Get('register/:id/verify')
  showVerifyMobile(
    @Param('id') id: string,
    @Query() q: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(q.lang);
    if (!UUID.test(id)) return this.html(res, 404, messagePage(lang, 'error'));
    const notice = q.done ? NOTICES[q.done]?.[lang] : undefined;
    this.html(
      res,
      200,
      verifyMobilePage({ lang, csrf: this.csrf(req, res), accountId: id, notice }),
    );
  }

  @Post('register/:id/verify')
  async verifyMobile(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    if (!UUID.test(id)) return this.html(res, 404, messagePage(lang, 'error'));
    try {
      await this.accounts.verifyMobile(id, String(form.code ?? '').trim(), clientOf(req));
    } catch (e) {
      const p = problem(e, lang);
      return this.html(
        res,
        p.status,
        verifyMobilePage({ lang, csrf: this.csrf(req, res), accountId: id, error: p.text }),
      );
    }
    this.html(res, 200, activePage(lang));
  }

  @Post('register/:id/resend')
  async resend(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    if (!UUID.test(id)) return this.html(res, 404, messagePage(lang, 'error'));
    try {
      await this.accounts.resendMobileCode(id);
    } catch (e) {
      const p = problem(e, lang);
      return this.html(
        res,
        p.status,
        verifyMobilePage({ lang, csrf: this.csrf(req, res), accountId: id, error: p.text }),
      );
    }
    this.redirect(res, `/ekey/register/${id}/verify`, lang, 'code_sent');
  }

  // --- sign-in for the account pages ---------------------------------------------------

  @Get('sign-in')
  showSignIn(@Query('lang') q: unknown, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(q);
    this.html(res, 200, this.signInForm(req, res, lang));
  }

  @Post('sign-in')
  async signIn(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    let result: SignInResult;
    try {
      result = await this.signIns.signIn(
        { cpr: String(form.cpr ?? ''), password: String(form.password ?? '') },
        { ...clientOf(req), deviceToken: readCookie(req, DEVICE_COOKIE) },
      );
    } catch (e) {
      const p = problem(e, lang);
      return this.html(res, p.status, this.signInForm(req, res, lang, p.text));
    }
    this.setCookies(res, result);
    if (result.stage === 'second_factor')
      return this.html(res, 200, this.secondFactorForm(req, res, lang, result.methods));
    this.redirect(res, '/ekey/account', lang);
  }

  @Post('sign-in/sms')
  async signInSms(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    try {
      await this.signIns.sendSmsCode(readCookie(req, SESSION_COOKIE), clientOf(req));
    } catch (e) {
      const p = problem(e, lang);
      return this.html(res, p.status, this.signInForm(req, res, lang, p.text));
    }
    this.html(
      res,
      200,
      this.secondFactorForm(req, res, lang, ['sms'], undefined, NOTICES.code_sent[lang]),
    );
  }

  @Post('sign-in/second-factor')
  async signInSecondFactor(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const method = (['totp', 'backup_code', 'sms'] as const).find((m) => m === form.method);
    let result: SignInResult;
    try {
      if (!method) throw new DomainException(EkeyErrors.CODE_INVALID);
      result = await this.signIns.completeSecondFactor(
        readCookie(req, SESSION_COOKIE),
        { method, code: String(form.code ?? '') },
        { ...clientOf(req), deviceToken: readCookie(req, DEVICE_COOKIE) },
      );
    } catch (e) {
      const p = problem(e, lang);
      if (p.status === 401 && (e as DomainException).code === 'EKEY_SESSION_REQUIRED')
        return this.html(res, 401, this.signInForm(req, res, lang));
      return this.html(
        res,
        p.status,
        this.secondFactorForm(req, res, lang, ['totp', 'backup_code', 'sms'], p.text),
      );
    }
    this.setCookies(res, result);
    this.redirect(res, '/ekey/account', lang);
  }

  @Post('sign-out')
  async signOut(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE), 'active');
    if (session) await this.sessions.revoke(session.id);
    clearSessionCookie(res);
    this.html(res, 200, messagePage(lang, 'signedOut'));
  }

  // --- account ------------------------------------------------------------------------

  @Get('account')
  async account(@Query() q: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(q.lang);
    const session = await this.session(req, res, lang);
    if (!session) return;
    const account = await this.accountRepo.findById(session.accountId);
    if (!account) return this.redirect(res, '/ekey/sign-in', lang);
    const [activity, live, passkeys] = await Promise.all([
      this.accountRepo.listActivity(account.id, 50),
      this.sessions.listLive(account.id),
      this.passkeys.list(account.id),
    ]);
    const email = this.accounts.emailOf(account);
    this.html(
      res,
      200,
      accountPage({
        lang,
        csrf: this.csrf(req, res),
        notice: q.done ? NOTICES[q.done]?.[lang] : undefined,
        data: {
          nameAr: account.nameAr,
          nameEn: account.nameEn,
          cprMasked: maskCpr(`******${account.cprLast3}`),
          level: account.level,
          totpEnabled: account.totpEnabledAt !== null,
          email: email
            ? { masked: maskEmail(email)!, verified: account.emailVerifiedAt !== null }
            : null,
          activity,
          sessions: live.map((s) => ({ ...s, current: s.id === session.id })),
          passkeys,
        },
      }),
    );
  }

  @Post('account/sessions/:id/revoke')
  async revokeSession(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const session = await this.session(req, res, lang);
    if (!session) return;
    if (!UUID.test(id) || !(await this.sessions.revokeOfAccountById(session.accountId, id)))
      return this.html(res, 404, messagePage(lang, 'error'));
    this.redirect(res, '/ekey/account', lang, 'revoked');
  }

  @Post('account/passkeys/:id/remove')
  async removePasskey(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const session = await this.session(req, res, lang);
    if (!session) return;
    try {
      if (!UUID.test(id)) throw new DomainException(EkeyErrors.PASSKEY_NOT_FOUND);
      await this.passkeys.remove(session.accountId, id, clientOf(req));
    } catch (e) {
      const p = problem(e, lang);
      return this.html(res, p.status, messagePage(lang, 'error', p.text));
    }
    this.redirect(res, '/ekey/account', lang, 'passkey_removed');
  }

  @Get('account/email')
  async showEmail(@Query() q: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(q.lang);
    const session = await this.session(req, res, lang);
    if (!session) return;
    await this.emailView(req, res, lang, session, 200, {
      notice: q.done ? NOTICES[q.done]?.[lang] : undefined,
    });
  }

  @Post('account/email')
  async changeEmail(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const session = await this.session(req, res, lang);
    if (!session) return;
    try {
      await this.accounts.changeEmail(session.accountId, String(form.email ?? ''), clientOf(req));
    } catch (e) {
      const p = problem(e, lang);
      return this.emailView(req, res, lang, session, p.status, { error: p.text });
    }
    this.redirect(res, '/ekey/account/email', lang, 'email_sent');
  }

  @Post('account/email/verify')
  async verifyEmail(@Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const lang = pickLang(form.lang);
    if (!this.csrfOk(req, res, form, lang)) return;
    const session = await this.session(req, res, lang);
    if (!session) return;
    try {
      await this.accounts.verifyEmail(
        session.accountId,
        String(form.code ?? '').trim(),
        clientOf(req),
      );
    } catch (e) {
      const p = problem(e, lang);
      return this.emailView(req, res, lang, session, p.status, { error: p.text });
    }
    this.redirect(res, '/ekey/account', lang, 'email_verified');
  }

  // --- helpers ------------------------------------------------------------------------

  private async emailView(
    req: Request,
    res: Response,
    lang: PageLang,
    session: EkeySession,
    status: number,
    extra: { error?: string; notice?: string },
  ) {
    const account = await this.accountRepo.findById(session.accountId);
    const email = account ? this.accounts.emailOf(account) : null;
    this.html(
      res,
      status,
      emailPage({
        lang,
        csrf: this.csrf(req, res),
        email: email
          ? { masked: maskEmail(email)!, verified: account!.emailVerifiedAt !== null }
          : null,
        ...extra,
      }),
    );
  }

  private signInForm(req: Request, res: Response, lang: PageLang, error?: string) {
    return signInPage({
      lang,
      action: lang === 'en' ? '/ekey/sign-in?lang=en' : '/ekey/sign-in',
      self: '/ekey/sign-in',
      csrf: this.csrf(req, res),
      error,
    });
  }

  private secondFactorForm(
    req: Request,
    res: Response,
    lang: PageLang,
    methods: string[],
    error?: string,
    notice?: string,
  ) {
    return secondFactorPage({
      lang,
      action: '/ekey/sign-in/second-factor',
      smsAction: '/ekey/sign-in/sms',
      methods,
      csrf: this.csrf(req, res),
      error,
      notice,
    });
  }

  /** The active session, or a redirect to the sign-in page (and null). */
  private async session(req: Request, res: Response, lang: PageLang): Promise<EkeySession | null> {
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE), 'active');
    if (!session) this.redirect(res, '/ekey/sign-in', lang);
    return session;
  }

  /** The browser's CSRF token, set once per browser. */
  private csrf(req: Request, res: Response): string {
    const existing = readCookie(req, CSRF_COOKIE);
    if (existing && existing.length === 43) return existing;
    const fresh =
      (res.locals.ekeyCsrf as string | undefined) ?? randomBytes(32).toString('base64url');
    if (!res.locals.ekeyCsrf) {
      res.locals.ekeyCsrf = fresh;
      res.cookie(CSRF_COOKIE, fresh, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
    }
    return fresh;
  }

  /** False (after a 403 page) when the form's token is not the browser's. */
  private csrfOk(req: Request, res: Response, form: Form, lang: PageLang): boolean {
    const cookie = readCookie(req, CSRF_COOKIE);
    const sent = typeof form.csrf === 'string' ? form.csrf : '';
    if (
      cookie &&
      sent.length === cookie.length &&
      timingSafeEqual(Buffer.from(cookie), Buffer.from(sent))
    )
      return true;
    this.html(res, 403, messagePage(lang, 'error', MESSAGES.CSRF[lang]));
    return false;
  }

  private setCookies(res: Response, result: SignInResult) {
    setSessionCookie(
      res,
      result.token,
      result.stage === 'active' ? this.settings.sessionAbsoluteMs : SECOND_FACTOR_WINDOW_MS,
    );
    if (result.deviceToken) setDeviceCookie(res, result.deviceToken);
  }

  private redirect(res: Response, path: string, lang: PageLang, done?: string) {
    const q = new URLSearchParams({
      ...(lang === 'en' ? { lang } : {}),
      ...(done ? { done } : {}),
    });
    const qs = q.toString();
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, qs ? `${path}?${qs}` : path);
  }

  private html(res: Response, status: number, page: string) {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('html').send(page);
  }
}

function clientOf(req: Request): ClientInfo {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent']?.slice(0, 300) ?? null };
}

function isDate(v: string | undefined): boolean {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && d.getTime() < Date.now();
}
