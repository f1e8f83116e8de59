/**
 * Server-rendered eKey pages: Arabic (right-to-left) by default, English on request, plain
 * HTML forms that work without JavaScript, labelled fields and error summaries for screen
 * readers. Every dynamic value goes through `esc`.
 */
export type PageLang = 'ar' | 'en';

const T = {
  title: { ar: 'المفتاح الإلكتروني', en: 'eKey' },
  signIn: { ar: 'تسجيل الدخول', en: 'Sign in' },
  cpr: { ar: 'الرقم الشخصي', en: 'CPR number' },
  password: { ar: 'كلمة المرور', en: 'Password' },
  continue: { ar: 'متابعة', en: 'Continue' },
  secondFactor: { ar: 'التحقق بخطوتين', en: 'Second step' },
  method: { ar: 'طريقة التحقق', en: 'Method' },
  totp: { ar: 'رمز تطبيق المصادقة', en: 'Authenticator app code' },
  backup_code: { ar: 'رمز احتياطي', en: 'Backup code' },
  sms: { ar: 'رمز رسالة نصية (أقل أمانًا)', en: 'SMS code (weaker)' },
  sendSms: { ar: 'أرسل رمزًا برسالة نصية', en: 'Send me an SMS code' },
  code: { ar: 'الرمز', en: 'Code' },
  consent: { ar: 'مشاركة بياناتك', en: 'Share your details' },
  consentLead: {
    ar: 'تطلب الخدمة الإلكترونية التالية الوصول إلى:',
    en: 'This e-service asks to see:',
  },
  allow: { ar: 'موافقة', en: 'Allow' },
  deny: { ar: 'رفض', en: 'Deny' },
  other: { ar: 'English', en: 'العربية' },
  error: { ar: 'تعذر إتمام الطلب', en: 'The request could not be completed' },
  errorSummary: { ar: 'يوجد خطأ', en: 'There is a problem' },
  signedOut: { ar: 'تم تسجيل خروجك.', en: 'You are signed out.' },
  logoutAsk: { ar: 'هل تريد تسجيل الخروج؟', en: 'Do you want to sign out?' },
  yes: { ar: 'نعم، سجّل خروجي', en: 'Yes, sign me out' },
  no: { ar: 'لا', en: 'No' },
} as const;

const SCOPE_LABELS: Record<string, { ar: string; en: string }> = {
  openid: { ar: 'هويتك في المفتاح الإلكتروني', en: 'Your eKey identity' },
  profile: { ar: 'اسمك وتاريخ ميلادك وجنسيتك', en: 'Your name, date of birth and nationality' },
  phone: { ar: 'رقم هاتفك المتحقق منه', en: 'Your verified mobile number' },
  cpr: { ar: 'رقمك الشخصي', en: 'Your CPR number' },
  ekey: { ar: 'مستوى مفتاحك الإلكتروني', en: 'Your eKey level' },
  offline_access: {
    ar: 'البقاء متصلًا عندما لا تستخدم الخدمة',
    en: 'Staying connected while you are away',
  },
};

export function esc(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function pickLang(value: unknown): PageLang {
  return value === 'en' ? 'en' : 'ar';
}

export function layout(lang: PageLang, heading: string, body: string, switchHref?: string): string {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const other = lang === 'ar' ? 'en' : 'ar';
  return `<!DOCTYPE html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)} – ${T.title[lang]}</title>
<style>
body{font-family:system-ui,"Noto Naskh Arabic",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
label{display:block;font-weight:600;margin-top:1rem}
input,select{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;border:2px solid #333}
button{font-size:1rem;padding:.6rem 1.2rem;margin-top:1.2rem;background:#ce1126;color:#fff;border:0;cursor:pointer}
button.secondary{background:#555}
:focus{outline:3px solid #fd0;outline-offset:2px}
.error{border-inline-start:5px solid #ce1126;padding:.5rem 1rem;background:#fdecee}
</style>
</head>
<body>
<header><p>${T.title[lang]}${
    switchHref
      ? ` · <a href="${esc(switchHref)}${switchHref.includes('?') ? '&' : '?'}lang=${other}" lang="${other}">${T.other[lang]}</a>`
      : ''
  }</p></header>
<main>
<h1>${esc(heading)}</h1>
${body}
</main>
</body>
</html>`;
}

function csrfInput(csrf: string | undefined): string {
  return csrf ? `<input type="hidden" name="csrf" value="${esc(csrf)}">` : '';
}

export function errorBox(lang: PageLang, message?: string): string {
  return message
    ? `<div class="error" role="alert" tabindex="-1"><h2>${T.errorSummary[lang]}</h2><p>${esc(message)}</p></div>`
    : '';
}

export function signInPage(opts: {
  lang: PageLang;
  action: string;
  self: string;
  error?: string;
  cpr?: string;
  /** eKey's own pages add their CSRF token (the OpenID interactions are bound by oidc-provider). */
  csrf?: string;
}): string {
  const { lang } = opts;
  return layout(
    lang,
    T.signIn[lang],
    `${errorBox(lang, opts.error)}
<form method="post" action="${esc(opts.action)}" novalidate>
<input type="hidden" name="lang" value="${lang}">${csrfInput(opts.csrf)}
<label for="cpr">${T.cpr[lang]}</label>
<input id="cpr" name="cpr" inputmode="numeric" autocomplete="username" required maxlength="32" value="${esc(opts.cpr)}" dir="ltr">
<label for="password">${T.password[lang]}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" dir="auto">
<button type="submit">${T.continue[lang]}</button>
</form>`,
    opts.self,
  );
}

export function secondFactorPage(opts: {
  lang: PageLang;
  action: string;
  smsAction: string;
  methods: string[];
  error?: string;
  notice?: string;
  csrf?: string;
}): string {
  const { lang } = opts;
  // Passkeys need WebAuthn in the browser (JavaScript): this form offers the code methods.
  const options = opts.methods
    .filter((m) => m !== 'passkey')
    .map(
      (m) =>
        `<option value="${esc(m)}">${esc(T[m as 'totp' | 'sms' | 'backup_code'][lang])}</option>`,
    )
    .join('');
  const sms = opts.methods.includes('sms')
    ? `<form method="post" action="${esc(opts.smsAction)}"><input type="hidden" name="lang" value="${lang}">${csrfInput(opts.csrf)}<button class="secondary" type="submit">${T.sendSms[lang]}</button></form>`
    : '';
  return layout(
    lang,
    T.secondFactor[lang],
    `${errorBox(lang, opts.error)}${opts.notice ? `<p role="status">${esc(opts.notice)}</p>` : ''}
<form method="post" action="${esc(opts.action)}" novalidate>
<input type="hidden" name="lang" value="${lang}">${csrfInput(opts.csrf)}
<label for="method">${T.method[lang]}</label>
<select id="method" name="method">${options}</select>
<label for="code">${T.code[lang]}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="32" dir="ltr">
<button type="submit">${T.continue[lang]}</button>
</form>
${sms}`,
  );
}

export function consentPage(opts: {
  lang: PageLang;
  action: string;
  clientName: string;
  scopes: string[];
}): string {
  const { lang } = opts;
  const items = opts.scopes.map((s) => `<li>${esc(SCOPE_LABELS[s]?.[lang] ?? s)}</li>`).join('');
  return layout(
    lang,
    T.consent[lang],
    `<p><strong>${esc(opts.clientName)}</strong></p>
<p>${T.consentLead[lang]}</p>
<ul>${items}</ul>
<form method="post" action="${esc(opts.action)}">
<input type="hidden" name="lang" value="${lang}">
<button type="submit" name="decision" value="allow">${T.allow[lang]}</button>
<button class="secondary" type="submit" name="decision" value="deny">${T.deny[lang]}</button>
</form>`,
  );
}

export function messagePage(lang: PageLang, heading: 'error' | 'signedOut', detail?: string) {
  return layout(lang, T[heading][lang], detail ? `<p>${esc(detail)}</p>` : '');
}

export function logoutPage(lang: PageLang, form: string): string {
  // `form` is oidc-provider's own hidden form (with its xsrf token); the buttons submit it.
  return layout(
    lang,
    T.logoutAsk[lang],
    `${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${T.yes[lang]}</button>
<button class="secondary" type="submit" form="op.logoutForm">${T.no[lang]}</button>`,
  );
}
