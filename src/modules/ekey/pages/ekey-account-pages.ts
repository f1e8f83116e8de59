/**
 * eKey's own pages outside the OpenID flows: registration (form → SMS code → active),
 * a sign-in for the account pages, the account page (activity, sessions with a revoke
 * button, passkeys, e-mail), and e-mail verification. Same rules as `ekey-pages.ts`:
 * Arabic right-to-left by default, `?lang=en`, plain forms without JavaScript, every
 * dynamic value escaped; every form carries the CSRF token.
 */
import { errorBox, esc, layout, type PageLang } from './ekey-pages.js';

type Bi = { ar: string; en: string };

const T = {
  register: { ar: 'إنشاء مفتاح إلكتروني', en: 'Register for an eKey' },
  cpr: { ar: 'الرقم الشخصي', en: 'CPR number' },
  nameAr: { ar: 'الاسم بالعربية', en: 'Name in Arabic' },
  nameEn: { ar: 'الاسم بالإنجليزية', en: 'Name in English' },
  nationality: { ar: 'الجنسية (رمز من حرفين، مثل BH)', en: 'Nationality (two letters, e.g. BH)' },
  residency: { ar: 'الصفة', en: 'Status' },
  citizen: { ar: 'مواطن', en: 'Citizen' },
  resident: { ar: 'مقيم', en: 'Resident' },
  dateOfBirth: { ar: 'تاريخ الميلاد (سنة-شهر-يوم)', en: 'Date of birth (YYYY-MM-DD)' },
  mobile: { ar: 'رقم الهاتف النقال', en: 'Mobile number' },
  email: { ar: 'البريد الإلكتروني (اختياري)', en: 'E-mail address (optional)' },
  emailRequired: { ar: 'البريد الإلكتروني', en: 'E-mail address' },
  password: { ar: 'كلمة المرور', en: 'Password' },
  passwordHint: {
    ar: '15 حرفًا على الأقل؛ يمكنك استخدام جملة تتذكرها.',
    en: 'At least 15 characters; a sentence you remember works well.',
  },
  continue: { ar: 'متابعة', en: 'Continue' },
  verifyMobile: { ar: 'تأكيد رقم الهاتف', en: 'Confirm your mobile' },
  codeSent: {
    ar: 'أرسلنا رمزًا من 6 أرقام برسالة نصية إلى هاتفك. أدخله هنا خلال 5 دقائق.',
    en: 'We sent a 6-digit code to your mobile by SMS. Enter it here within 5 minutes.',
  },
  code: { ar: 'الرمز', en: 'Code' },
  resend: { ar: 'أرسل رمزًا جديدًا', en: 'Send a new code' },
  active: { ar: 'مفتاحك الإلكتروني جاهز', en: 'Your eKey is ready' },
  activeLead: {
    ar: 'تم تفعيل مفتاحك الإلكتروني. يمكنك الآن تسجيل الدخول.',
    en: 'Your eKey is active. You can sign in now.',
  },
  signIn: { ar: 'تسجيل الدخول', en: 'Sign in' },
  account: { ar: 'حسابي', en: 'My account' },
  activity: { ar: 'آخر النشاطات', en: 'Recent activity' },
  sessions: { ar: 'الأجهزة والجلسات', en: 'Devices and sessions' },
  thisDevice: { ar: 'هذا الجهاز', en: 'This device' },
  revoke: { ar: 'إنهاء الجلسة', en: 'End session' },
  passkeys: { ar: 'مفاتيح المرور (Passkeys)', en: 'Passkeys' },
  noPasskeys: {
    ar: 'لا توجد مفاتيح مرور. يمكن إضافتها من تطبيق أو متصفح يدعمها.',
    en: 'No passkeys. They can be added from an app or browser that supports them.',
  },
  remove: { ar: 'إزالة', en: 'Remove' },
  app: { ar: 'تطبيق المصادقة', en: 'Authenticator app' },
  appOn: { ar: 'مفعّل', en: 'On' },
  appOff: { ar: 'غير مفعّل', en: 'Off' },
  emailSection: { ar: 'البريد الإلكتروني', en: 'E-mail address' },
  verified: { ar: 'تم التحقق منه', en: 'verified' },
  notVerified: { ar: 'لم يتم التحقق منه', en: 'not verified' },
  none: { ar: 'لا يوجد', en: 'none' },
  manageEmail: { ar: 'تغيير البريد أو تأكيده', en: 'Change or confirm it' },
  verifyEmail: { ar: 'تأكيد البريد الإلكتروني', en: 'Confirm your e-mail address' },
  emailCodeSent: {
    ar: 'أرسلنا رمزًا إلى بريدك الإلكتروني. أدخله هنا خلال 5 دقائق.',
    en: 'We sent a code to your e-mail address. Enter it here within 5 minutes.',
  },
  sendEmailCode: { ar: 'أرسل رمز التأكيد', en: 'Send the confirmation code' },
  confirm: { ar: 'تأكيد', en: 'Confirm' },
  back: { ar: 'العودة إلى حسابي', en: 'Back to my account' },
  signOut: { ar: 'تسجيل الخروج', en: 'Sign out' },
  when: { ar: 'الوقت', en: 'When' },
  what: { ar: 'ما حدث', en: 'What' },
  from: { ar: 'من', en: 'From' },
  started: { ar: 'بدأت', en: 'Started' },
  lastSeen: { ar: 'آخر استخدام', en: 'Last used' },
  added: { ar: 'أضيف', en: 'Added' },
  name: { ar: 'الاسم', en: 'Name' },
  level: { ar: 'المستوى', en: 'Level' },
  standard: { ar: 'أساسي', en: 'Standard' },
  advanced: { ar: 'متقدم (تحقق حضوري)', en: 'Advanced (checked in person)' },
} satisfies Record<string, Bi>;

/** What the account holder reads for each activity kind. */
const ACTIVITY: Record<string, Bi> = {
  registered: { ar: 'التسجيل', en: 'Registered' },
  activated: { ar: 'التفعيل', en: 'Activated' },
  sign_in: { ar: 'تسجيل دخول', en: 'Signed in' },
  sign_in_failed: { ar: 'محاولة دخول فاشلة', en: 'Failed sign-in' },
  new_device: { ar: 'دخول من جهاز جديد', en: 'Sign-in from a new device' },
  password_changed: { ar: 'تغيير كلمة المرور', en: 'Password changed' },
  password_reset: { ar: 'إعادة تعيين كلمة المرور', en: 'Password reset' },
  totp_enabled: { ar: 'تفعيل تطبيق المصادقة', en: 'Authenticator app added' },
  backup_codes_generated: { ar: 'رموز احتياطية جديدة', en: 'New backup codes' },
  backup_code_used: { ar: 'استخدام رمز احتياطي', en: 'Backup code used' },
  session_revoked: { ar: 'إنهاء جلسة', en: 'Session ended' },
  level_advanced: { ar: 'رفع المستوى إلى متقدم', en: 'Raised to advanced' },
  email_changed: { ar: 'تغيير البريد الإلكتروني', en: 'E-mail address changed' },
  email_verified: { ar: 'تأكيد البريد الإلكتروني', en: 'E-mail address confirmed' },
  passkey_added: { ar: 'إضافة مفتاح مرور', en: 'Passkey added' },
  passkey_removed: { ar: 'إزالة مفتاح مرور', en: 'Passkey removed' },
};

export interface RegistrationFormValues {
  cpr?: string;
  nameAr?: string;
  nameEn?: string;
  nationality?: string;
  residency?: string;
  dateOfBirth?: string;
  mobile?: string;
  email?: string;
}

const csrfField = (csrf: string) => `<input type="hidden" name="csrf" value="${esc(csrf)}">`;
const langField = (lang: PageLang) => `<input type="hidden" name="lang" value="${lang}">`;
const withLang = (href: string, lang: PageLang) =>
  lang === 'en' ? `${href}${href.includes('?') ? '&' : '?'}lang=en` : href;
const time = (d: Date, lang: PageLang) =>
  `<time datetime="${d.toISOString()}">${esc(
    d.toLocaleString(lang === 'ar' ? 'ar-BH' : 'en-GB', { timeZone: 'Asia/Bahrain' }),
  )}</time>`;

function field(
  id: string,
  label: string,
  opts: { value?: string; type?: string; attrs?: string; invalid?: boolean; hint?: string },
) {
  const hint = opts.hint ? `<p id="${id}-hint">${esc(opts.hint)}</p>` : '';
  return `<label for="${id}">${label}</label>${hint}
<input id="${id}" name="${id}" type="${opts.type ?? 'text'}" value="${esc(opts.value)}"${
    opts.invalid ? ' aria-invalid="true"' : ''
  }${opts.hint ? ` aria-describedby="${id}-hint"` : ''} ${opts.attrs ?? ''}>`;
}

export function registrationPage(opts: {
  lang: PageLang;
  csrf: string;
  values?: RegistrationFormValues;
  error?: string;
  invalid?: string[];
}): string {
  const { lang } = opts;
  const v = opts.values ?? {};
  const bad = (f: string) => opts.invalid?.includes(f) ?? false;
  const residency = (value: 'citizen' | 'resident') =>
    `<option value="${value}"${v.residency === value ? ' selected' : ''}>${T[value][lang]}</option>`;
  return layout(
    lang,
    T.register[lang],
    `${errorBox(lang, opts.error)}
<form method="post" action="${withLang('/ekey/register', lang)}" novalidate>
${csrfField(opts.csrf)}${langField(lang)}
${field('cpr', T.cpr[lang], { value: v.cpr, invalid: bad('cpr'), attrs: 'inputmode="numeric" autocomplete="off" required maxlength="32" dir="ltr"' })}
${field('nameAr', T.nameAr[lang], { value: v.nameAr, invalid: bad('nameAr'), attrs: 'lang="ar" dir="rtl" required maxlength="200"' })}
${field('nameEn', T.nameEn[lang], { value: v.nameEn, invalid: bad('nameEn'), attrs: 'lang="en" dir="ltr" required maxlength="200"' })}
${field('nationality', T.nationality[lang], { value: v.nationality ?? 'BH', invalid: bad('nationality'), attrs: 'required maxlength="2" dir="ltr"' })}
<label for="residency">${T.residency[lang]}</label>
<select id="residency" name="residency">${residency('citizen')}${residency('resident')}</select>
${field('dateOfBirth', T.dateOfBirth[lang], { value: v.dateOfBirth, invalid: bad('dateOfBirth'), attrs: 'required maxlength="10" dir="ltr" autocomplete="bday"' })}
${field('mobile', T.mobile[lang], { value: v.mobile, type: 'tel', invalid: bad('mobile'), attrs: 'required maxlength="64" dir="ltr" autocomplete="tel"' })}
${field('email', T.email[lang], { value: v.email, type: 'email', invalid: bad('email'), attrs: 'maxlength="254" dir="ltr" autocomplete="email"' })}
${field('password', T.password[lang], { type: 'password', invalid: bad('password'), hint: T.passwordHint[lang], attrs: 'required maxlength="1024" dir="auto" autocomplete="new-password"' })}
<button type="submit">${T.continue[lang]}</button>
</form>`,
    '/ekey/register',
  );
}

export function verifyMobilePage(opts: {
  lang: PageLang;
  csrf: string;
  accountId: string;
  error?: string;
  notice?: string;
}): string {
  const { lang } = opts;
  const base = `/ekey/register/${encodeURIComponent(opts.accountId)}`;
  return layout(
    lang,
    T.verifyMobile[lang],
    `${errorBox(lang, opts.error)}${opts.notice ? `<p role="status">${esc(opts.notice)}</p>` : ''}
<p>${T.codeSent[lang]}</p>
<form method="post" action="${withLang(`${base}/verify`, lang)}" novalidate>
${csrfField(opts.csrf)}${langField(lang)}
${field('code', T.code[lang], { invalid: !!opts.error, attrs: 'inputmode="numeric" autocomplete="one-time-code" required maxlength="32" dir="ltr"' })}
<button type="submit">${T.continue[lang]}</button>
</form>
<form method="post" action="${withLang(`${base}/resend`, lang)}">
${csrfField(opts.csrf)}${langField(lang)}
<button class="secondary" type="submit">${T.resend[lang]}</button>
</form>`,
    `${base}/verify`,
  );
}

export function activePage(lang: PageLang): string {
  return layout(
    lang,
    T.active[lang],
    `<p role="status">${T.activeLead[lang]}</p>
<p><a href="${withLang('/ekey/sign-in', lang)}">${T.signIn[lang]}</a></p>`,
  );
}

export interface AccountPageData {
  nameAr: string;
  nameEn: string;
  cprMasked: string;
  level: 'standard' | 'advanced';
  totpEnabled: boolean;
  email: { masked: string; verified: boolean } | null;
  activity: { kind: string; occurredAt: Date; ip: string | null; userAgent: string | null }[];
  sessions: {
    id: string;
    current: boolean;
    createdAt: Date;
    lastSeenAt: Date;
    ip: string | null;
    userAgent: string | null;
  }[];
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
}

export function accountPage(opts: {
  lang: PageLang;
  csrf: string;
  data: AccountPageData;
  notice?: string;
  error?: string;
}): string {
  const { lang, data: d } = opts;
  const post = (action: string, label: string, cls = 'secondary') =>
    `<form method="post" action="${withLang(action, lang)}">${csrfField(opts.csrf)}${langField(lang)}<button class="${cls}" type="submit">${label}</button></form>`;
  const device = (ip: string | null, ua: string | null) =>
    `<bdi dir="ltr">${esc([ip, ua].filter(Boolean).join(' · ') || '—')}</bdi>`;
  const activity = d.activity
    .map(
      (a) =>
        `<tr><td>${time(a.occurredAt, lang)}</td><td>${esc(ACTIVITY[a.kind]?.[lang] ?? a.kind)}</td><td>${device(a.ip, a.userAgent)}</td></tr>`,
    )
    .join('');
  const sessions = d.sessions
    .map(
      (s) =>
        `<tr><td>${device(s.ip, s.userAgent)}${s.current ? ` <strong>(${T.thisDevice[lang]})</strong>` : ''}</td><td>${time(s.createdAt, lang)}</td><td>${time(s.lastSeenAt, lang)}</td><td>${
          s.current
            ? ''
            : post(`/ekey/account/sessions/${encodeURIComponent(s.id)}/revoke`, T.revoke[lang])
        }</td></tr>`,
    )
    .join('');
  const passkeys = d.passkeys.length
    ? `<table><thead><tr><th scope="col">${T.name[lang]}</th><th scope="col">${T.added[lang]}</th><th scope="col">${T.lastSeen[lang]}</th><th></th></tr></thead><tbody>${d.passkeys
        .map(
          (p) =>
            `<tr><td>${esc(p.name)}</td><td>${time(p.createdAt, lang)}</td><td>${p.lastUsedAt ? time(p.lastUsedAt, lang) : '—'}</td><td>${post(`/ekey/account/passkeys/${encodeURIComponent(p.id)}/remove`, T.remove[lang])}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${T.noPasskeys[lang]}</p>`;
  const email = d.email
    ? `<bdi dir="ltr">${esc(d.email.masked)}</bdi> (${d.email.verified ? T.verified[lang] : T.notVerified[lang]})`
    : T.none[lang];
  return layout(
    lang,
    T.account[lang],
    `${errorBox(lang, opts.error)}${opts.notice ? `<p role="status">${esc(opts.notice)}</p>` : ''}
<p><strong lang="ar">${esc(d.nameAr)}</strong> · <span lang="en">${esc(d.nameEn)}</span> · <bdi dir="ltr">${esc(d.cprMasked)}</bdi></p>
<p>${T.level[lang]}: ${T[d.level][lang]} · ${T.app[lang]}: ${d.totpEnabled ? T.appOn[lang] : T.appOff[lang]}</p>
<h2>${T.emailSection[lang]}</h2>
<p>${email} · <a href="${withLang('/ekey/account/email', lang)}">${T.manageEmail[lang]}</a></p>
<h2>${T.sessions[lang]}</h2>
<table><thead><tr><th scope="col">${T.from[lang]}</th><th scope="col">${T.started[lang]}</th><th scope="col">${T.lastSeen[lang]}</th><th></th></tr></thead><tbody>${sessions}</tbody></table>
<h2>${T.passkeys[lang]}</h2>
${passkeys}
<h2>${T.activity[lang]}</h2>
<table><thead><tr><th scope="col">${T.when[lang]}</th><th scope="col">${T.what[lang]}</th><th scope="col">${T.from[lang]}</th></tr></thead><tbody>${activity}</tbody></table>
${post('/ekey/sign-out', T.signOut[lang])}`,
    '/ekey/account',
  );
}

export function emailPage(opts: {
  lang: PageLang;
  csrf: string;
  email: { masked: string; verified: boolean } | null;
  codeSent?: boolean;
  error?: string;
  notice?: string;
}): string {
  const { lang } = opts;
  const status = opts.email
    ? `<p><bdi dir="ltr">${esc(opts.email.masked)}</bdi> (${opts.email.verified ? T.verified[lang] : T.notVerified[lang]})</p>`
    : '';
  const verify =
    opts.email && !opts.email.verified
      ? `<p>${T.emailCodeSent[lang]}</p>
<form method="post" action="${withLang('/ekey/account/email/verify', lang)}" novalidate>
${csrfField(opts.csrf)}${langField(lang)}
${field('code', T.code[lang], { attrs: 'inputmode="numeric" autocomplete="one-time-code" required maxlength="32" dir="ltr"' })}
<button type="submit">${T.confirm[lang]}</button>
</form>`
      : '';
  return layout(
    lang,
    T.verifyEmail[lang],
    `${errorBox(lang, opts.error)}${opts.notice ? `<p role="status">${esc(opts.notice)}</p>` : ''}
${status}${verify}
<form method="post" action="${withLang('/ekey/account/email', lang)}" novalidate>
${csrfField(opts.csrf)}${langField(lang)}
${field('email', T.emailRequired[lang], { type: 'email', attrs: 'required maxlength="254" dir="ltr" autocomplete="email"' })}
<button class="secondary" type="submit">${T.sendEmailCode[lang]}</button>
</form>
<p><a href="${withLang('/ekey/account', lang)}">${T.back[lang]}</a></p>`,
    '/ekey/account/email',
  );
}
