/** Bilingual bodies of eKey's system messages. Codes appear only in `codeMessage`. */
export type EkeyAlertKind =
  | 'new_device'
  | 'password_changed'
  | 'totp_enabled'
  | 'backup_codes'
  | 'locked'
  | 'email_changed'
  | 'passkey_added'
  | 'passkey_removed';

const ALERTS: Record<EkeyAlertKind, { ar: string; en: string }> = {
  new_device: {
    ar: 'تم تسجيل الدخول إلى مفتاحك الإلكتروني من جهاز جديد. إن لم تكن أنت، غيّر كلمة المرور.',
    en: 'Your eKey was used to sign in from a new device. If this was not you, change your password.',
  },
  password_changed: {
    ar: 'تم تغيير كلمة مرور مفتاحك الإلكتروني وإنهاء جميع الجلسات.',
    en: 'Your eKey password was changed and every session was ended.',
  },
  totp_enabled: {
    ar: 'تمت إضافة تطبيق مصادقة إلى مفتاحك الإلكتروني.',
    en: 'An authenticator app was added to your eKey.',
  },
  backup_codes: {
    ar: 'تم إنشاء رموز احتياطية جديدة لمفتاحك الإلكتروني.',
    en: 'New backup codes were created for your eKey.',
  },
  email_changed: {
    ar: 'تم تغيير البريد الإلكتروني لمفتاحك الإلكتروني. إن لم تكن أنت، تواصل مع مكتب خدمة المفتاح الإلكتروني.',
    en: 'The e-mail address of your eKey was changed. If this was not you, contact the eKey service desk.',
  },
  passkey_added: {
    ar: 'تمت إضافة مفتاح مرور (Passkey) إلى مفتاحك الإلكتروني. إن لم تكن أنت، غيّر كلمة المرور.',
    en: 'A passkey was added to your eKey. If this was not you, change your password.',
  },
  passkey_removed: {
    ar: 'تمت إزالة مفتاح مرور (Passkey) من مفتاحك الإلكتروني.',
    en: 'A passkey was removed from your eKey.',
  },
  locked: {
    ar: 'تم قفل مفتاحك الإلكتروني بعد محاولات فاشلة كثيرة. تواصل مع مكتب خدمة المفتاح الإلكتروني.',
    en: 'Your eKey was locked after too many failed attempts. Contact the eKey service desk.',
  },
};

export function alertBody(kind: EkeyAlertKind, lang: 'ar' | 'en'): string {
  return ALERTS[kind][lang];
}

/** The e-mail that confirms an address: subject and body in the holder's language. */
export function emailCodeMessage(
  code: string,
  lang: 'ar' | 'en',
): { subject: string; body: string } {
  return lang === 'ar'
    ? {
        subject: 'تأكيد البريد الإلكتروني للمفتاح الإلكتروني',
        body: `رمز تأكيد بريدك الإلكتروني للمفتاح الإلكتروني: ${code}. أدخله في صفحة حسابك. صالح 5 دقائق. إن لم تطلبه فتجاهل هذه الرسالة.`,
      }
    : {
        subject: 'Confirm the e-mail address of your eKey',
        body: `Your eKey e-mail confirmation code is ${code}. Enter it on your account page. Valid for 5 minutes. If you did not ask for it, ignore this message.`,
      };
}

export function codeMessage(code: string, lang: 'ar' | 'en'): string {
  return lang === 'ar'
    ? `رمز التحقق للمفتاح الإلكتروني: ${code}. لا تشاركه مع أحد. صالح 5 دقائق.`
    : `Your eKey verification code is ${code}. Do not share it. Valid for 5 minutes.`;
}
