// Demo registry of a Gulf state (Bahrain-like): agencies and bilingual services used by
// the seed script, the search tests and the open-data export tests. Fees are in fils.
// Laws are cited by their real titles where well known; web addresses of channels point
// at a demo portal, not at live services.

import type {
  EditionContent,
  Evidence,
  LocalizedText,
  ProcedureStep,
  Requirement,
  ServiceChannel,
  ServiceCost,
} from '../domain/edition-content.js';
import type { PublishedService } from '../open-data/published-service.js';

export interface DemoAgency {
  code: string;
  nameAr: string;
  nameEn: string;
  parentCode?: string;
  website: string;
}

export interface DemoService {
  agencyCode: string;
  /** Number of the service within its agency; the service code is `${agencyCode}-${number}` zero-padded. */
  number: number;
  content: EditionContent;
  /** Relative demand, used to rank search results and the home page. */
  popularity: number;
}

export const DEMO_AGENCIES: readonly DemoAgency[] = [
  {
    code: 'IGA',
    nameAr: 'هيئة المعلومات والحكومة الإلكترونية',
    nameEn: 'Information & eGovernment Authority',
    website: 'https://www.iga.gov.bh',
  },
  {
    code: 'MOI',
    nameAr: 'وزارة الداخلية',
    nameEn: 'Ministry of Interior',
    website: 'https://www.interior.gov.bh',
  },
  {
    code: 'NPRA',
    nameAr: 'شؤون الجنسية والجوازات والإقامة',
    nameEn: 'Nationality, Passports & Residence Affairs',
    parentCode: 'MOI',
    website: 'https://www.npra.gov.bh',
  },
  {
    code: 'GDT',
    nameAr: 'الإدارة العامة للمرور',
    nameEn: 'General Directorate of Traffic',
    parentCode: 'MOI',
    website: 'https://www.traffic.gov.bh',
  },
  {
    code: 'MOH',
    nameAr: 'وزارة الصحة',
    nameEn: 'Ministry of Health',
    website: 'https://www.moh.gov.bh',
  },
  {
    code: 'MOE',
    nameAr: 'وزارة التربية والتعليم',
    nameEn: 'Ministry of Education',
    website: 'https://www.moe.gov.bh',
  },
  {
    code: 'MOIC',
    nameAr: 'وزارة الصناعة والتجارة',
    nameEn: 'Ministry of Industry & Commerce',
    website: 'https://www.moic.gov.bh',
  },
  {
    code: 'LMRA',
    nameAr: 'هيئة تنظيم سوق العمل',
    nameEn: 'Labour Market Regulatory Authority',
    website: 'https://www.lmra.gov.bh',
  },
  {
    code: 'EWA',
    nameAr: 'هيئة الكهرباء والماء',
    nameEn: 'Electricity & Water Authority',
    website: 'https://www.ewa.bh',
  },
  {
    code: 'MOJ',
    nameAr: 'وزارة العدل والشؤون الإسلامية والأوقاف',
    nameEn: 'Ministry of Justice, Islamic Affairs & Waqf',
    website: 'https://www.moj.gov.bh',
  },
  {
    code: 'MOHUP',
    nameAr: 'وزارة الإسكان والتخطيط العمراني',
    nameEn: 'Ministry of Housing & Urban Planning',
    website: 'https://www.housing.gov.bh',
  },
  {
    code: 'MUN',
    nameAr: 'شؤون البلديات',
    nameEn: 'Municipalities Affairs',
    website: 'https://www.mun.gov.bh',
  },
];

const PORTAL = 'https://portal.example.bh';
const LEGAL_PORTAL = 'https://www.legalaffairs.gov.bh/';
const REVIEW_BY = '2026-06-30';

const t = (ar: string, en: string): LocalizedText => ({ ar, en });
const ev = (nameAr: string, nameEn: string, descAr: string, descEn: string): Evidence => ({
  name: t(nameAr, nameEn),
  description: t(descAr, descEn),
});
const req = (
  nameAr: string,
  nameEn: string,
  descAr: string,
  descEn: string,
  evidence: Evidence[] = [],
): Requirement => ({
  name: t(nameAr, nameEn),
  description: t(descAr, descEn),
  evidence,
});
type StepText = readonly [titleAr: string, titleEn: string, descAr: string, descEn: string];
const steps = (...list: StepText[]): ProcedureStep[] =>
  list.map(([titleAr, titleEn, descAr, descEn], i) => ({
    order: i + 1,
    title: t(titleAr, titleEn),
    description: t(descAr, descEn),
  }));
const fee = (
  descAr: string,
  descEn: string,
  amountFils: string,
  channelId?: string,
  id = 'fee',
): ServiceCost => ({
  id,
  description: t(descAr, descEn),
  amountFils,
  ...(channelId ? { channelId } : {}),
});
const law = (ar: string, en: string, linked = true) => ({
  title: t(ar, en),
  ...(linked ? { url: LEGAL_PORTAL } : {}),
});

const GOV_HOURS = t(
  'من الأحد إلى الخميس، من الساعة 7:00 صباحاً حتى 2:15 ظهراً',
  'Sunday to Thursday, 7:00 am to 2:15 pm',
);

/** Where each agency receives people in person. */
const COUNTERS: Record<string, LocalizedText> = {
  IGA: t(
    'مركز خدمات هيئة المعلومات والحكومة الإلكترونية، مدينة عيسى',
    'IGA Service Centre, Isa Town',
  ),
  NPRA: t('المبنى الرئيسي لشؤون الجنسية والجوازات والإقامة، المنامة', 'NPRA Main Building, Manama'),
  GDT: t('مبنى الإدارة العامة للمرور، مدينة عيسى', 'General Directorate of Traffic, Isa Town'),
  MOH: t('مجمع السلمانية الطبي، المنامة', 'Salmaniya Medical Complex, Manama'),
  MOE: t('مبنى وزارة التربية والتعليم، مدينة عيسى', 'Ministry of Education Building, Isa Town'),
  MOIC: t('مركز البحرين للمستثمرين، ضاحية السيف', 'Bahrain Investors Centre, Seef'),
  LMRA: t('مركز خدمات هيئة تنظيم سوق العمل، سند', 'LMRA Service Centre, Sanad'),
  EWA: t('مركز خدمات المشتركين، المنامة', 'Customer Service Centre, Manama'),
  MOJ: t(
    'مبنى وزارة العدل، المنطقة الدبلوماسية، المنامة',
    'Ministry of Justice Building, Diplomatic Area, Manama',
  ),
  MOHUP: t('مبنى وزارة الإسكان والتخطيط العمراني، المنامة', 'Ministry of Housing Building, Manama'),
  MUN: t('مركز خدمات البلديات، مدينة حمد', 'Municipal Services Centre, Hamad Town'),
};

const online = (slug: string): ServiceChannel => ({
  id: 'online',
  type: 'online',
  url: `${PORTAL}/services/${slug}`,
});
const app: ServiceChannel = { id: 'app', type: 'mobile_app', url: `${PORTAL}/app` };
const phone: ServiceChannel = { id: 'phone', type: 'phone', openingHours: GOV_HOURS };
const kiosk: ServiceChannel = {
  id: 'kiosk',
  type: 'kiosk',
  address: t(
    'الأكشاك الإلكترونية في المجمعات التجارية ومراكز الخدمات',
    'Self-service kiosks in shopping malls and service centres',
  ),
};
const counter = (agencyCode: string): ServiceChannel => ({
  id: 'counter',
  type: 'counter',
  address: COUNTERS[agencyCode],
  openingHours: GOV_HOURS,
});

/** Frequent documents. */
const E = {
  idCard: ev(
    'بطاقة الهوية',
    'Identity card',
    'بطاقة الهوية الذكية سارية المفعول لمقدم الطلب.',
    "The applicant's valid smart identity card.",
  ),
  passport: ev(
    'جواز السفر',
    'Passport',
    'جواز السفر الحالي لمقدم الطلب.',
    "The applicant's current passport.",
  ),
  photo: ev(
    'صورة شخصية',
    'Personal photo',
    'صورة شخصية حديثة ملوّنة بخلفية بيضاء.',
    'A recent colour photo with a white background.',
  ),
  birthCertificate: ev(
    'شهادة الميلاد',
    'Birth certificate',
    'شهادة ميلاد الطفل الصادرة من وزارة الصحة.',
    "The child's birth certificate issued by the Ministry of Health.",
  ),
  leaseOrDeed: ev(
    'عقد الإيجار أو وثيقة الملكية',
    'Lease contract or title deed',
    'عقد إيجار مسجّل أو وثيقة ملكية العقار.',
    'A registered lease contract or the title deed of the property.',
  ),
  commercialRegister: ev(
    'السجل التجاري',
    'Commercial registration',
    'سجل تجاري ساري المفعول للمنشأة.',
    'A valid commercial registration of the establishment.',
  ),
  vehicleInsurance: ev(
    'وثيقة التأمين',
    'Insurance policy',
    'وثيقة تأمين سارية على المركبة.',
    'A valid insurance policy for the vehicle.',
  ),
};

const R = {
  identity: req(
    'إثبات الهوية',
    'Proof of identity',
    'أن يثبت مقدم الطلب هويته.',
    'The applicant must prove their identity.',
    [E.idCard],
  ),
  employer: req(
    'صاحب عمل مسجّل',
    'Registered employer',
    'أن تكون المنشأة مسجّلة لدى الهيئة وليس عليها مستحقات متأخرة.',
    'The establishment must be registered with the authority and have no overdue payments.',
    [E.commercialRegister],
  ),
};

const S = {
  login: [
    'تسجيل الدخول',
    'Log in',
    'سجّل الدخول إلى البوابة الوطنية باستخدام المفتاح الإلكتروني.',
    'Log in to the national portal with your eKey.',
  ],
  apply: [
    'تعبئة الطلب',
    'Fill in the application',
    'أدخل البيانات المطلوبة وأرفق المستندات.',
    'Enter the requested details and attach the documents.',
  ],
  pay: [
    'دفع الرسوم',
    'Pay the fee',
    'ادفع الرسوم إلكترونياً ببطاقة الخصم أو الائتمان.',
    'Pay the fee online by debit or credit card.',
  ],
  visit: [
    'الحضور إلى مكتب الخدمة',
    'Visit the service counter',
    'احضر إلى مكتب الخدمة ومعك المستندات الأصلية.',
    'Visit the service counter with the original documents.',
  ],
  payAtCounter: [
    'دفع الرسوم',
    'Pay the fee',
    'ادفع الرسوم في مكتب الخدمة.',
    'Pay the fee at the service counter.',
  ],
} satisfies Record<string, StepText>;

type ServiceSpec = Omit<
  EditionContent,
  | 'legalBasis'
  | 'redress'
  | 'contactPoint'
  | 'spatial'
  | 'reviewBy'
  | 'lifeEvents'
  | 'businessEvents'
> &
  Partial<Pick<EditionContent, 'lifeEvents' | 'businessEvents'>> & {
    laws: EditionContent['legalBasis']['legalResources'];
    rules?: EditionContent['legalBasis']['rules'];
  };

/** Fills what every service of an agency shares: contact point, redress, jurisdiction. */
function service(
  agencyCode: string,
  number: number,
  popularity: number,
  spec: ServiceSpec,
): DemoService {
  const agency = DEMO_AGENCIES.find((a) => a.code === agencyCode);
  if (!agency) throw new Error(`unknown demo agency ${agencyCode}`);
  const { laws, rules = [], lifeEvents = [], businessEvents = [], ...content } = spec;
  return {
    agencyCode,
    number,
    popularity,
    content: {
      ...content,
      legalBasis: { rules, legalResources: laws },
      redress: t(
        `يحق لمقدم الطلب التظلم من القرار كتابياً إلى ${agency.nameAr} خلال ثلاثين يوماً من تاريخ إبلاغه به، أو عبر النظام الوطني للمقترحات والشكاوى (تواصل).`,
        `The applicant may appeal the decision in writing to the ${agency.nameEn} within thirty days of being notified, or through the national suggestions and complaints system (Tawasul).`,
      ),
      contactPoint: { phone: '+973 80008001', url: agency.website, openingHours: GOV_HOURS },
      lifeEvents,
      businessEvents,
      spatial: 'BHR',
      reviewBy: REVIEW_BY,
    },
  };
}

const IDENTITY_LAW = law(
  'القانون رقم (46) لسنة 2006 بشأن بطاقة الهوية',
  'Law No. 46 of 2006 on the Identity Card',
);
const PASSPORTS_LAW = law(
  'المرسوم بقانون رقم (11) لسنة 1975 بشأن جوازات السفر',
  'Decree-Law No. 11 of 1975 on Passports',
);
const ALIENS_LAW = law(
  'قانون الأجانب (الهجرة والإقامة) لسنة 1965',
  'Aliens (Immigration and Residence) Act 1965',
);
const TRAFFIC_LAW = law(
  'القانون رقم (23) لسنة 2014 بإصدار قانون المرور',
  'Law No. 23 of 2014 promulgating the Traffic Law',
);
const PUBLIC_HEALTH_LAW = law(
  'القانون رقم (34) لسنة 2018 بإصدار قانون الصحة العامة',
  'Law No. 34 of 2018 promulgating the Public Health Law',
);
const BIRTHS_DEATHS_LAW = law(
  'قانون تسجيل المواليد والوفيات',
  'Births and Deaths Registration Law',
  false,
);
const EDUCATION_LAW = law(
  'القانون رقم (27) لسنة 2005 بشأن التعليم',
  'Law No. 27 of 2005 on Education',
);
const COMMERCIAL_REGISTER_LAW = law(
  'القانون رقم (27) لسنة 2015 بشأن السجل التجاري',
  'Law No. 27 of 2015 on the Commercial Register',
);
const CONSUMER_LAW = law(
  'القانون رقم (35) لسنة 2012 بشأن حماية المستهلك',
  'Law No. 35 of 2012 on Consumer Protection',
);
const LABOUR_MARKET_LAW = law(
  'القانون رقم (19) لسنة 2006 بشأن تنظيم سوق العمل',
  'Law No. 19 of 2006 Regulating the Labour Market',
);
const ELECTRICITY_LAW = law(
  'قانون الكهرباء والماء ولوائحه التنفيذية',
  'Electricity and Water Law and its implementing regulations',
  false,
);
const NOTARY_LAW = law(
  'قانون التوثيق الصادر بالمرسوم بقانون رقم (14) لسنة 1971',
  'Notarisation Law, Decree-Law No. 14 of 1971',
);
const FAMILY_LAW = law(
  'القانون رقم (19) لسنة 2017 بإصدار قانون الأسرة',
  'Law No. 19 of 2017 promulgating the Family Law',
);
const PROCEDURES_LAW = law(
  'قانون المرافعات المدنية والتجارية الصادر بالمرسوم بقانون رقم (12) لسنة 1971',
  'Civil and Commercial Procedures Law, Decree-Law No. 12 of 1971',
);
const HOUSING_LAW = law(
  'المرسوم بقانون رقم (10) لسنة 1976 في شأن الإسكان',
  'Decree-Law No. 10 of 1976 on Housing',
);
const BUILDINGS_LAW = law(
  'المرسوم بقانون رقم (13) لسنة 1977 بإصدار قانون تنظيم المباني',
  'Decree-Law No. 13 of 1977 on the Regulation of Buildings',
);
const MUNICIPALITIES_LAW = law(
  'قانون البلديات الصادر بالمرسوم بقانون رقم (35) لسنة 2001',
  'Municipalities Law, Decree-Law No. 35 of 2001',
);
const E_TRANSACTIONS_LAW = law(
  'المرسوم بقانون رقم (54) لسنة 2018 بإصدار قانون الخطابات والمعاملات الإلكترونية',
  'Decree-Law No. 54 of 2018 on Electronic Communications and Transactions',
);

export const DEMO_SERVICES: readonly DemoService[] = [
  // ── Information & eGovernment Authority ──
  service('IGA', 1, 8200, {
    title: t('تجديد بطاقة الهوية', 'Identity card renewal'),
    description: t(
      'تجديد بطاقة الهوية الذكية للمواطنين والمقيمين قبل انتهاء صلاحيتها أو بعده، مع إمكانية توصيل البطاقة إلى العنوان المسجّل.',
      'Renew the smart identity card of a citizen or resident before or after it expires, with optional delivery to the registered address.',
    ),
    keywords: [t('البطاقة الذكية', 'smart card'), t('الرقم الشخصي', 'CPR')],
    audience: ['citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'صورة حديثة',
        'Recent photo',
        'تُلتقط الصورة في المركز أو تُرفع إلكترونياً.',
        'The photo is taken at the centre or uploaded online.',
        [E.photo],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'استلام البطاقة',
      'Receive the card',
      'تسلّم البطاقة من المركز أو عبر التوصيل.',
      'Collect the card at the centre or receive it by delivery.',
    ]),
    outputs: [
      {
        name: t('بطاقة الهوية', 'Identity card'),
        description: t('بطاقة هوية ذكية جديدة.', 'A new smart identity card.'),
        type: 'card',
      },
    ],
    processingTime: 'P3D',
    laws: [IDENTITY_LAW],
    channels: [online('identity-card-renewal'), app, counter('IGA')],
    costs: [fee('رسم تجديد بطاقة الهوية', 'Identity card renewal fee', '2000')],
    thematicArea: 'identity_civil_status',
  }),
  service('IGA', 2, 3100, {
    title: t('تحديث العنوان في بطاقة الهوية', 'Address update on the identity card'),
    description: t(
      'تسجيل عنوان السكن الجديد في سجل السكان وبطاقة الهوية بعد الانتقال إلى مسكن آخر.',
      'Record a new home address in the population register and on the identity card after moving home.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'إثبات السكن',
        'Proof of residence',
        'أن يثبت مقدم الطلب سكنه في العنوان الجديد.',
        'The applicant must prove they live at the new address.',
        [
          E.leaseOrDeed,
          ev(
            'فاتورة الكهرباء والماء',
            'Electricity and water bill',
            'فاتورة حديثة باسم مقدم الطلب أو المالك.',
            'A recent bill in the name of the applicant or the owner.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, [
      'تأكيد العنوان',
      'Confirm the address',
      'تتحقق الهيئة من العنوان وتحدّث السجل.',
      'The authority checks the address and updates the register.',
    ]),
    outputs: [
      {
        name: t('إشعار تحديث العنوان', 'Address update notice'),
        description: t(
          'إشعار إلكتروني بتحديث العنوان.',
          'An electronic notice that the address was updated.',
        ),
        type: 'document',
      },
    ],
    processingTime: 'P1D',
    laws: [IDENTITY_LAW],
    channels: [online('address-update'), app],
    costs: [],
    lifeEvents: ['moving', 'housing'],
    thematicArea: 'identity_civil_status',
  }),
  service('IGA', 3, 5400, {
    title: t('التسجيل في المفتاح الإلكتروني', 'eKey registration'),
    description: t(
      'إنشاء حساب المفتاح الإلكتروني الذي يتيح الدخول الآمن إلى الخدمات الحكومية الإلكترونية.',
      'Create an eKey account, the secure login to government e-services.',
    ),
    keywords: [t('تسجيل الدخول', 'login'), t('كلمة المرور', 'password')],
    audience: ['citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'رقم هاتف مسجّل',
        'Registered mobile number',
        'رقم هاتف نقال مسجّل باسم مقدم الطلب.',
        'A mobile number registered in the applicant’s name.',
      ),
    ],
    steps: steps(
      [
        'إدخال البيانات',
        'Enter your details',
        'أدخل الرقم الشخصي وبيانات بطاقة الهوية.',
        'Enter your personal number and identity card details.',
      ],
      [
        'التحقق',
        'Verify',
        'أدخل رمز التحقق المرسل إلى هاتفك.',
        'Enter the verification code sent to your phone.',
      ],
      [
        'تعيين كلمة المرور',
        'Set a password',
        'اختر كلمة مرور قوية لتفعيل الحساب.',
        'Choose a strong password to activate the account.',
      ],
    ),
    outputs: [
      {
        name: t('حساب المفتاح الإلكتروني', 'eKey account'),
        description: t('حساب مفعّل للدخول إلى الخدمات.', 'An active account to log in to services.'),
        type: 'other',
      },
    ],
    processingTime: 'PT15M',
    laws: [E_TRANSACTIONS_LAW],
    channels: [online('ekey-registration'), kiosk],
    costs: [],
    thematicArea: 'identity_civil_status',
  }),
  service('IGA', 4, 2300, {
    title: t('إصدار بطاقة الهوية للمواليد', 'Identity card for a newborn'),
    description: t(
      'إصدار أول بطاقة هوية للمولود بعد تسجيل ولادته، ويقدّم الطلب ولي الأمر.',
      'Issue the first identity card of a newborn after the birth is registered; a parent applies.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'تسجيل الولادة',
        'Registered birth',
        'أن تكون الولادة مسجّلة لدى وزارة الصحة.',
        'The birth must be registered with the Ministry of Health.',
        [E.birthCertificate],
      ),
      req(
        'ولي الأمر',
        'Parent or guardian',
        'يقدّم الطلب الأب أو الأم أو الولي الشرعي.',
        'The father, mother or legal guardian applies.',
        [E.idCard],
      ),
    ],
    steps: steps(S.login, S.apply, [
      'استلام البطاقة',
      'Collect the card',
      'تسلّم البطاقة من مركز الخدمات.',
      'Collect the card at the service centre.',
    ]),
    outputs: [
      {
        name: t('بطاقة هوية الطفل', "Child's identity card"),
        description: t('بطاقة هوية ذكية للمولود.', 'A smart identity card for the newborn.'),
        type: 'card',
      },
    ],
    processingTime: 'P2D',
    laws: [IDENTITY_LAW],
    channels: [
      online('newborn-identity-card'),
      { ...counter('IGA'), id: 'centre', type: 'service_centre' },
    ],
    costs: [],
    lifeEvents: ['having_a_child'],
    thematicArea: 'identity_civil_status',
  }),

  // ── Nationality, Passports & Residence Affairs ──
  service('NPRA', 1, 9500, {
    title: t('تجديد جوازات السفر', 'Passport renewal'),
    description: t(
      'تجديد جواز السفر البحريني للمواطنين عند قرب انتهاء صلاحيته أو امتلاء صفحاته، واستلامه من المبنى الرئيسي أو عبر التوصيل.',
      'Renew a Bahraini passport when it is about to expire or its pages are full, and collect it at the main building or by delivery.',
    ),
    keywords: [t('جواز', 'passport'), t('سفر', 'travel')],
    audience: ['citizens'],
    requirements: [
      req(
        'جواز السفر الحالي',
        'Current passport',
        'يُسلَّم الجواز الحالي عند استلام الجواز الجديد.',
        'The current passport is handed in when the new one is collected.',
        [E.passport],
      ),
      R.identity,
      req(
        'صورة حديثة',
        'Recent photo',
        'صورة مطابقة لمواصفات جواز السفر.',
        'A photo meeting passport photo standards.',
        [E.photo],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'استلام الجواز',
      'Collect the passport',
      'تسلّم الجواز الجديد بعد إشعارك بجاهزيته.',
      'Collect the new passport once you are notified that it is ready.',
    ]),
    outputs: [
      {
        name: t('جواز سفر', 'Passport'),
        description: t(
          'جواز سفر بحريني صالح لمدة عشر سنوات.',
          'A Bahraini passport valid for ten years.',
        ),
        type: 'document',
      },
    ],
    processingTime: 'P3D',
    laws: [PASSPORTS_LAW],
    channels: [online('passport-renewal'), app, counter('NPRA')],
    costs: [fee('رسم إصدار جواز السفر', 'Passport issue fee', '12000')],
    lifeEvents: ['travelling_abroad'],
    thematicArea: 'travel_residence',
  }),
  service('NPRA', 2, 2600, {
    title: t('إصدار جواز سفر للمولود', 'Passport for a newborn'),
    description: t(
      'إصدار أول جواز سفر للطفل البحريني، ويقدّم الطلب ولي الأمر.',
      'Issue the first passport of a Bahraini child; a parent applies.',
    ),
    audience: ['citizens'],
    requirements: [
      req(
        'شهادة الميلاد',
        'Birth certificate',
        'شهادة ميلاد الطفل.',
        "The child's birth certificate.",
        [E.birthCertificate],
      ),
      req(
        'هوية ولي الأمر',
        "Parent's identity",
        'بطاقة هوية ولي الأمر مقدم الطلب.',
        'The identity card of the applying parent.',
        [E.idCard],
      ),
      req(
        'صورة الطفل',
        "Child's photo",
        'صورة حديثة للطفل بخلفية بيضاء.',
        'A recent photo of the child with a white background.',
        [E.photo],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'استلام الجواز',
      'Collect the passport',
      'تسلّم الجواز من المبنى الرئيسي.',
      'Collect the passport at the main building.',
    ]),
    outputs: [
      {
        name: t('جواز سفر', 'Passport'),
        description: t('جواز سفر للطفل.', 'A passport for the child.'),
        type: 'document',
      },
    ],
    processingTime: 'P3D',
    laws: [PASSPORTS_LAW],
    channels: [online('newborn-passport'), counter('NPRA')],
    costs: [fee('رسم إصدار جواز السفر', 'Passport issue fee', '12000')],
    lifeEvents: ['having_a_child', 'travelling_abroad'],
    thematicArea: 'travel_residence',
  }),
  service('NPRA', 3, 4100, {
    title: t('تجديد الإقامة لأفراد الأسرة', 'Residence permit renewal for family members'),
    description: t(
      'تجديد إقامة الزوجة والأبناء وغيرهم من أفراد الأسرة المكفولين من قبل مقيم أو مواطن.',
      'Renew the residence permit of a spouse, children or other family members sponsored by a resident or citizen.',
    ),
    audience: ['residents', 'citizens'],
    requirements: [
      req(
        'جواز سفر ساري',
        'Valid passport',
        'أن يكون جواز سفر المكفول ساري المفعول ستة أشهر على الأقل.',
        "The dependant's passport must be valid for at least six months.",
        [E.passport],
      ),
      req(
        'عقد الإيجار',
        'Lease contract',
        'إثبات سكن الكفيل في المملكة.',
        "Proof of the sponsor's residence in the Kingdom.",
        [E.leaseOrDeed],
      ),
      req(
        'تأمين صحي',
        'Health insurance',
        'تأمين صحي ساري لأفراد الأسرة.',
        'Valid health insurance for the family members.',
        [
          ev(
            'شهادة التأمين الصحي',
            'Health insurance certificate',
            'شهادة تأمين صحي سارية.',
            'A valid health insurance certificate.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'إصدار الإقامة',
      'Permit issued',
      'تُحدَّث الإقامة إلكترونياً ويصلك إشعار.',
      'The permit is renewed electronically and you are notified.',
    ]),
    outputs: [
      {
        name: t('تصريح الإقامة', 'Residence permit'),
        description: t('تصريح إقامة لمدة سنتين.', 'A two-year residence permit.'),
        type: 'permit',
      },
    ],
    processingTime: 'P5D',
    laws: [ALIENS_LAW],
    channels: [online('family-residence-renewal'), counter('NPRA')],
    costs: [
      fee('رسم الإقامة لمدة سنتين عن كل فرد', 'Two-year residence fee per family member', '72000'),
    ],
    lifeEvents: ['employment'],
    thematicArea: 'travel_residence',
  }),
  service('NPRA', 4, 6300, {
    title: t('التأشيرة الإلكترونية للزيارة', 'Electronic visit visa'),
    description: t(
      'طلب تأشيرة زيارة سياحية إلكترونية قبل السفر إلى المملكة.',
      'Apply online for a tourist visit visa before travelling to the Kingdom.',
    ),
    keywords: [t('تأشيرة', 'visa'), t('سياحة', 'tourism')],
    audience: ['visitors'],
    requirements: [
      req(
        'جواز سفر ساري',
        'Valid passport',
        'جواز سفر ساري المفعول ستة أشهر على الأقل.',
        'A passport valid for at least six months.',
        [E.passport],
      ),
      req(
        'حجز فندقي أو عنوان الإقامة',
        'Hotel booking or place of stay',
        'ما يثبت مكان الإقامة خلال الزيارة.',
        'Proof of where the visitor will stay.',
        [
          ev(
            'تأكيد الحجز',
            'Booking confirmation',
            'تأكيد حجز فندقي أو رسالة دعوة.',
            'A hotel booking confirmation or an invitation letter.',
          ),
        ],
      ),
      req(
        'تذكرة العودة',
        'Return ticket',
        'تذكرة سفر مؤكدة للمغادرة.',
        'A confirmed ticket to leave the Kingdom.',
        [
          ev(
            'تذكرة الطيران',
            'Flight ticket',
            'نسخة من تذكرة العودة.',
            'A copy of the return ticket.',
          ),
        ],
      ),
    ],
    steps: steps(
      [
        'تعبئة الطلب',
        'Fill in the application',
        'أدخل بيانات جواز السفر والزيارة وأرفق المستندات.',
        'Enter your passport and visit details and attach the documents.',
      ],
      S.pay,
      [
        'استلام التأشيرة',
        'Receive the visa',
        'تصلك التأشيرة بالبريد الإلكتروني عند الموافقة.',
        'The visa is emailed to you once approved.',
      ],
    ),
    outputs: [
      {
        name: t('تأشيرة زيارة', 'Visit visa'),
        description: t('تأشيرة زيارة لمدة أسبوعين.', 'A two-week visit visa.'),
        type: 'permit',
      },
    ],
    processingTime: 'P5D',
    laws: [ALIENS_LAW],
    channels: [online('evisa')],
    costs: [fee('رسم تأشيرة الزيارة لمدة أسبوعين', 'Two-week visit visa fee', '25000', 'online')],
    thematicArea: 'travel_residence',
  }),
  service('NPRA', 5, 900, {
    title: t('بدل فاقد جواز سفر', 'Replacement of a lost passport'),
    description: t(
      'إصدار جواز سفر بدلاً من جواز مفقود أو تالف بعد الإبلاغ عن فقدانه.',
      'Issue a passport to replace one that was lost or damaged, after the loss is reported.',
    ),
    audience: ['citizens'],
    requirements: [
      req(
        'بلاغ الفقدان',
        'Loss report',
        'بلاغ رسمي بفقدان الجواز من مركز الشرطة.',
        'An official report of the loss from a police station.',
        [
          ev(
            'شهادة فقدان',
            'Loss certificate',
            'الشهادة الصادرة من مركز الشرطة.',
            'The certificate issued by the police station.',
          ),
        ],
      ),
      R.identity,
      req(
        'صورة حديثة',
        'Recent photo',
        'صورة مطابقة لمواصفات جواز السفر.',
        'A photo meeting passport photo standards.',
        [E.photo],
      ),
    ],
    steps: steps(S.visit, S.payAtCounter, [
      'استلام الجواز',
      'Collect the passport',
      'تسلّم الجواز الجديد بعد إشعارك بجاهزيته.',
      'Collect the new passport once you are notified that it is ready.',
    ]),
    outputs: [
      {
        name: t('جواز سفر', 'Passport'),
        description: t('جواز سفر بديل.', 'A replacement passport.'),
        type: 'document',
      },
    ],
    processingTime: 'P7D',
    laws: [PASSPORTS_LAW],
    channels: [counter('NPRA')],
    costs: [fee('رسم بدل الفاقد', 'Replacement fee', '25000')],
    lifeEvents: ['travelling_abroad'],
    thematicArea: 'travel_residence',
  }),

  // ── General Directorate of Traffic ──
  service('GDT', 1, 7800, {
    title: t('تجديد رخصة السياقة', 'Driving licence renewal'),
    description: t(
      'تجديد رخصة السياقة الخاصة عند انتهاء صلاحيتها بعد اجتياز فحص النظر.',
      'Renew a private driving licence when it expires, after passing an eye test.',
    ),
    keywords: [t('رخصة القيادة', 'driving licence')],
    audience: ['citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'فحص النظر',
        'Eye test',
        'اجتياز فحص النظر لدى أحد مراكز البصريات المعتمدة.',
        'Passing an eye test at an approved optician.',
        [
          ev(
            'نتيجة فحص النظر',
            'Eye test result',
            'ترسل النتيجة إلكترونياً من مركز البصريات.',
            'The optician sends the result electronically.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'استلام الرخصة',
      'Receive the licence',
      'تُرسل الرخصة الجديدة بالبريد أو تُستلم من الكشك.',
      'The new licence is posted or printed at a kiosk.',
    ]),
    outputs: [
      {
        name: t('رخصة السياقة', 'Driving licence'),
        description: t(
          'رخصة سياقة صالحة لعشر سنوات للمواطنين.',
          'A driving licence valid for ten years for citizens.',
        ),
        type: 'licence',
      },
    ],
    processingTime: 'P1D',
    laws: [TRAFFIC_LAW],
    channels: [online('driving-licence-renewal'), app, kiosk],
    costs: [fee('رسم تجديد رخصة السياقة', 'Driving licence renewal fee', '10000')],
    lifeEvents: ['driving'],
    thematicArea: 'traffic_transport',
  }),
  service('GDT', 2, 7200, {
    title: t('تجديد تسجيل المركبة', 'Vehicle registration renewal'),
    description: t(
      'تجديد تسجيل المركبة سنوياً بعد التأكد من سريان التأمين واجتياز الفحص الفني.',
      'Renew the yearly registration of a vehicle once it is insured and has passed its technical inspection.',
    ),
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      req(
        'تأمين المركبة',
        'Vehicle insurance',
        'وثيقة تأمين سارية طوال مدة التسجيل.',
        'An insurance policy valid for the whole registration period.',
        [E.vehicleInsurance],
      ),
      req(
        'الفحص الفني',
        'Technical inspection',
        'اجتياز الفحص الفني للمركبات التي يزيد عمرها على ثلاث سنوات.',
        'Passing the technical inspection for vehicles older than three years.',
        [
          ev(
            'شهادة الفحص الفني',
            'Inspection certificate',
            'شهادة اجتياز الفحص الفني.',
            'The certificate of passing the inspection.',
          ),
        ],
      ),
    ],
    steps: steps(
      S.login,
      [
        'اختيار المركبة',
        'Choose the vehicle',
        'اختر المركبة المراد تجديد تسجيلها.',
        'Choose the vehicle to renew.',
      ],
      S.pay,
    ),
    outputs: [
      {
        name: t('ملصق التسجيل', 'Registration sticker'),
        description: t('تسجيل مجدَّد لمدة سنة.', 'A registration renewed for one year.'),
        type: 'certificate',
      },
    ],
    processingTime: 'PT30M',
    laws: [TRAFFIC_LAW],
    channels: [online('vehicle-registration-renewal'), app],
    costs: [
      fee(
        'رسم تسجيل المركبة الخاصة لمدة سنة',
        'One-year private vehicle registration fee',
        '20000',
      ),
    ],
    lifeEvents: ['driving'],
    thematicArea: 'traffic_transport',
  }),
  service('GDT', 3, 8900, {
    title: t('الاستعلام عن المخالفات المرورية ودفعها', 'Traffic violations enquiry and payment'),
    description: t(
      'الاستعلام عن المخالفات المرورية المسجّلة على الشخص أو المركبة ودفعها، ولا تُستوفى رسوم على الخدمة نفسها.',
      'Look up the traffic violations recorded against a person or vehicle and pay them; the service itself is free.',
    ),
    keywords: [t('غرامة', 'fine'), t('مخالفة', 'ticket')],
    audience: ['citizens', 'residents', 'visitors', 'businesses'],
    requirements: [],
    steps: steps(
      [
        'إدخال الرقم',
        'Enter the number',
        'أدخل الرقم الشخصي أو رقم لوحة المركبة.',
        'Enter your personal number or the vehicle plate number.',
      ],
      [
        'دفع المخالفات',
        'Pay the violations',
        'اختر المخالفات وادفعها إلكترونياً.',
        'Select the violations and pay them online.',
      ],
    ),
    outputs: [
      {
        name: t('إيصال الدفع', 'Payment receipt'),
        description: t(
          'إيصال إلكتروني بالمبلغ المدفوع.',
          'An electronic receipt of the amount paid.',
        ),
        type: 'document',
      },
    ],
    processingTime: 'PT10M',
    laws: [TRAFFIC_LAW],
    channels: [online('traffic-violations'), app, kiosk],
    costs: [],
    lifeEvents: ['driving'],
    thematicArea: 'traffic_transport',
  }),
  service('GDT', 4, 1800, {
    title: t('نقل ملكية مركبة', 'Vehicle ownership transfer'),
    description: t(
      'نقل ملكية المركبة من البائع إلى المشتري بعد سداد المخالفات وتأمين المركبة باسم المالك الجديد.',
      'Transfer a vehicle from seller to buyer once fines are paid and the vehicle is insured in the new owner’s name.',
    ),
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      req(
        'موافقة الطرفين',
        'Consent of both parties',
        'يؤكد البائع والمشتري عملية النقل كلٌّ بمفتاحه الإلكتروني.',
        'Seller and buyer each confirm the transfer with their eKey.',
        [E.idCard],
      ),
      req(
        'تأمين باسم المشتري',
        "Insurance in the buyer's name",
        'وثيقة تأمين جديدة باسم المالك الجديد.',
        'A new insurance policy in the new owner’s name.',
        [E.vehicleInsurance],
      ),
      req(
        'خلو المركبة من المخالفات',
        'No outstanding violations',
        'سداد جميع المخالفات المسجّلة على المركبة.',
        'All violations recorded against the vehicle must be paid.',
      ),
    ],
    steps: steps(
      [
        'طلب البائع',
        "Seller's request",
        'يقدّم البائع طلب النقل ويحدّد المشتري.',
        'The seller submits the transfer and names the buyer.',
      ],
      [
        'موافقة المشتري',
        "Buyer's approval",
        'يوافق المشتري على الطلب ويرفق وثيقة التأمين.',
        'The buyer approves and attaches the insurance policy.',
      ],
      S.pay,
    ),
    outputs: [
      {
        name: t('شهادة تسجيل المركبة', 'Vehicle registration certificate'),
        description: t(
          'شهادة تسجيل باسم المالك الجديد.',
          "A registration certificate in the new owner's name.",
        ),
        type: 'certificate',
      },
    ],
    processingTime: 'P1D',
    laws: [TRAFFIC_LAW],
    channels: [online('vehicle-ownership-transfer'), counter('GDT')],
    costs: [fee('رسم نقل الملكية', 'Transfer fee', '10000')],
    lifeEvents: ['driving'],
    thematicArea: 'traffic_transport',
  }),

  // ── Ministry of Health ──
  service('MOH', 1, 9100, {
    title: t('حجز موعد في مستشفى حكومي', 'Government hospital appointment booking'),
    description: t(
      'حجز موعد في العيادات الخارجية في مستشفى حكومي أو مركز صحي، أو تعديله أو إلغاؤه.',
      'Book, change or cancel an outpatient appointment at a government hospital or health centre.',
    ),
    keywords: [t('مستشفى', 'hospital'), t('موعد', 'appointment'), t('عيادة', 'clinic')],
    audience: ['citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'ملف طبي',
        'Medical record',
        'أن يكون لدى المريض ملف طبي في المركز الصحي.',
        'The patient must have a medical record at a health centre.',
      ),
    ],
    steps: steps(
      S.login,
      [
        'اختيار العيادة',
        'Choose the clinic',
        'اختر المستشفى أو المركز الصحي والتخصص.',
        'Choose the hospital or health centre and the speciality.',
      ],
      [
        'تأكيد الموعد',
        'Confirm the appointment',
        'اختر الوقت المناسب وأكّد الحجز.',
        'Pick a time and confirm the booking.',
      ],
    ),
    outputs: [
      {
        name: t('تأكيد الموعد', 'Appointment confirmation'),
        description: t(
          'رسالة نصية بتفاصيل الموعد.',
          'A text message with the appointment details.',
        ),
        type: 'document',
      },
    ],
    processingTime: 'PT5M',
    laws: [PUBLIC_HEALTH_LAW],
    channels: [online('hospital-appointments'), app, phone],
    costs: [],
    lifeEvents: ['health'],
    thematicArea: 'health',
  }),
  service('MOH', 2, 3300, {
    title: t('إصدار شهادة ميلاد', 'Birth certificate'),
    description: t(
      'تسجيل المولود وإصدار شهادة ميلاده بعد الإبلاغ عن الولادة من المستشفى.',
      'Register a newborn and issue the birth certificate after the hospital notifies the birth.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'إبلاغ الولادة',
        'Birth notification',
        'إشعار الولادة الصادر من المستشفى.',
        'The birth notification issued by the hospital.',
        [
          ev(
            'إشعار الولادة',
            'Birth notification',
            'الإشعار الصادر من المستشفى الذي تمت فيه الولادة.',
            'The notice issued by the hospital where the birth took place.',
          ),
        ],
      ),
      req(
        'هوية الوالدين',
        "Parents' identity",
        'بطاقتا هوية الأب والأم.',
        'The identity cards of the father and mother.',
        [E.idCard],
      ),
      req(
        'عقد الزواج',
        'Marriage contract',
        'عقد زواج الوالدين.',
        "The parents' marriage contract.",
        [
          ev(
            'عقد الزواج',
            'Marriage contract',
            'نسخة من عقد الزواج الموثّق.',
            'A copy of the registered marriage contract.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'استلام الشهادة',
      'Receive the certificate',
      'تُصدر الشهادة إلكترونياً ويمكن طباعتها.',
      'The certificate is issued electronically and can be printed.',
    ]),
    outputs: [
      {
        name: t('شهادة الميلاد', 'Birth certificate'),
        description: t('شهادة ميلاد رسمية.', 'An official birth certificate.'),
        type: 'certificate',
      },
    ],
    processingTime: 'P2D',
    laws: [BIRTHS_DEATHS_LAW],
    channels: [online('birth-certificate'), counter('MOH')],
    costs: [fee('رسم إصدار شهادة الميلاد', 'Birth certificate fee', '1000')],
    lifeEvents: ['having_a_child'],
    thematicArea: 'health',
  }),
  service('MOH', 3, 700, {
    title: t('إصدار شهادة وفاة', 'Death certificate'),
    description: t(
      'تسجيل الوفاة وإصدار شهادة الوفاة لذوي المتوفى.',
      'Register a death and issue the death certificate to the family of the deceased.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'إبلاغ الوفاة',
        'Death notification',
        'إشعار الوفاة الصادر من المستشفى أو الطبيب.',
        'The death notification issued by the hospital or doctor.',
        [
          ev(
            'إشعار الوفاة',
            'Death notification',
            'الإشعار الطبي بالوفاة.',
            'The medical notice of death.',
          ),
        ],
      ),
      req(
        'هوية المتوفى ومقدم الطلب',
        'Identity of the deceased and the applicant',
        'بطاقة هوية المتوفى وبطاقة هوية مقدم الطلب.',
        "The deceased's identity card and the applicant's identity card.",
        [E.idCard],
      ),
    ],
    steps: steps(S.visit, [
      'استلام الشهادة',
      'Collect the certificate',
      'تسلّم شهادة الوفاة من مكتب التسجيل.',
      'Collect the death certificate at the registration office.',
    ]),
    outputs: [
      {
        name: t('شهادة الوفاة', 'Death certificate'),
        description: t('شهادة وفاة رسمية.', 'An official death certificate.'),
        type: 'certificate',
      },
    ],
    processingTime: 'P1D',
    laws: [BIRTHS_DEATHS_LAW],
    channels: [counter('MOH')],
    costs: [],
    lifeEvents: ['death_of_relative'],
    thematicArea: 'health',
  }),
  service('MOH', 4, 4700, {
    title: t('الفحص الطبي للعمالة الوافدة', 'Medical examination of expatriate workers'),
    description: t(
      'الفحص الطبي الإلزامي للعامل الوافد قبل إصدار تصريح العمل أو تجديده.',
      'The mandatory medical examination of an expatriate worker before a work permit is issued or renewed.',
    ),
    audience: ['businesses', 'residents'],
    requirements: [
      req(
        'جواز سفر العامل',
        "Worker's passport",
        'جواز سفر العامل الساري.',
        "The worker's valid passport.",
        [E.passport],
      ),
      req(
        'طلب صاحب العمل',
        "Employer's request",
        'طلب الفحص المقدّم من صاحب العمل.',
        'The examination request submitted by the employer.',
        [E.commercialRegister],
      ),
    ],
    steps: steps(S.visit, S.payAtCounter, [
      'إجراء الفحص',
      'Have the examination',
      'يُجرى الفحص وتُرسل النتيجة إلى هيئة تنظيم سوق العمل.',
      'The examination is done and the result is sent to the LMRA.',
    ]),
    outputs: [
      {
        name: t('شهادة اللياقة الطبية', 'Medical fitness certificate'),
        description: t('نتيجة الفحص الطبي.', 'The result of the medical examination.'),
        type: 'certificate',
      },
    ],
    processingTime: 'P2D',
    laws: [PUBLIC_HEALTH_LAW, LABOUR_MARKET_LAW],
    channels: [counter('MOH')],
    costs: [fee('رسم الفحص الطبي', 'Medical examination fee', '40000')],
    businessEvents: ['hiring_employees'],
    thematicArea: 'health',
  }),
  service('MOH', 5, 2100, {
    title: t('شهادة التطعيمات', 'Vaccination certificate'),
    description: t(
      'الحصول على شهادة بالتطعيمات التي تلقاها الشخص، لأغراض التسجيل المدرسي أو السفر.',
      "Obtain a certificate of a person's vaccinations for school registration or travel.",
    ),
    audience: ['citizens', 'residents'],
    requirements: [R.identity],
    steps: steps(S.login, [
      'طباعة الشهادة',
      'Print the certificate',
      'اختر الشخص واطبع شهادة التطعيمات.',
      'Choose the person and print the vaccination certificate.',
    ]),
    outputs: [
      {
        name: t('شهادة التطعيمات', 'Vaccination certificate'),
        description: t('سجل التطعيمات المعتمد.', 'The certified vaccination record.'),
        type: 'certificate',
      },
    ],
    processingTime: 'PT5M',
    laws: [PUBLIC_HEALTH_LAW],
    channels: [online('vaccination-certificate'), app],
    costs: [],
    lifeEvents: ['health', 'education', 'travelling_abroad'],
    thematicArea: 'health',
  }),

  // ── Ministry of Education ──
  service('MOE', 1, 5600, {
    title: t(
      'تسجيل الطلبة المستجدين في المدارس الحكومية',
      'New student registration in public schools',
    ),
    description: t(
      'تسجيل الأطفال البحرينيين في الصف الأول الابتدائي أو نقلهم إلى مدرسة حكومية.',
      'Register Bahraini children in the first primary grade or transfer them to a public school.',
    ),
    keywords: [t('مدرسة', 'school'), t('تسجيل', 'enrolment')],
    audience: ['citizens'],
    requirements: [
      req(
        'بلوغ السن',
        'Age',
        'أن يبلغ الطفل ست سنوات في بداية العام الدراسي.',
        'The child must be six at the start of the school year.',
        [E.birthCertificate],
      ),
      req(
        'التطعيمات',
        'Vaccinations',
        'استكمال التطعيمات الأساسية.',
        'The basic vaccinations must be complete.',
        [
          ev(
            'شهادة التطعيمات',
            'Vaccination certificate',
            'شهادة التطعيمات الصادرة من وزارة الصحة.',
            'The vaccination certificate issued by the Ministry of Health.',
          ),
        ],
      ),
      req('هوية الطفل', "Child's identity", 'بطاقة هوية الطفل.', "The child's identity card.", [
        E.idCard,
      ]),
    ],
    steps: steps(S.login, S.apply, [
      'تحديد المدرسة',
      'School assigned',
      'تُحدَّد المدرسة حسب منطقة السكن ويصلك إشعار.',
      'A school is assigned by home area and you are notified.',
    ]),
    outputs: [
      {
        name: t('قبول التسجيل', 'Enrolment confirmation'),
        description: t(
          'إشعار بالمدرسة التي سُجِّل فيها الطالب.',
          'A notice of the school the pupil is enrolled in.',
        ),
        type: 'decision',
      },
    ],
    processingTime: 'P10D',
    laws: [EDUCATION_LAW],
    channels: [online('school-registration'), counter('MOE')],
    costs: [],
    lifeEvents: ['education'],
    thematicArea: 'education',
  }),
  service('MOE', 2, 1400, {
    title: t('معادلة الشهادات الدراسية', 'Equivalence of school certificates'),
    description: t(
      'معادلة شهادات المرحلة الثانوية الصادرة من خارج المملكة بالشهادة الوطنية.',
      'Recognise a secondary school certificate obtained abroad as equivalent to the national certificate.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'الشهادة الأصلية',
        'Original certificate',
        'الشهادة مصدّقة من الجهات المختصة في بلد الإصدار.',
        'The certificate attested by the competent authorities of the issuing country.',
        [
          ev(
            'الشهادة المصدّقة',
            'Attested certificate',
            'أصل الشهادة وكشف الدرجات المصدّقان.',
            'The attested original certificate and transcript.',
          ),
        ],
      ),
      R.identity,
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'صدور القرار',
      'Decision',
      'تصدر اللجنة قرار المعادلة.',
      'The committee issues the equivalence decision.',
    ]),
    outputs: [
      {
        name: t('شهادة المعادلة', 'Equivalence certificate'),
        description: t(
          'شهادة بمعادلة المؤهل.',
          'A certificate of equivalence of the qualification.',
        ),
        type: 'certificate',
      },
    ],
    processingTime: 'P14D',
    laws: [EDUCATION_LAW],
    channels: [online('certificate-equivalence'), counter('MOE')],
    costs: [fee('رسم المعادلة', 'Equivalence fee', '5000')],
    lifeEvents: ['education', 'employment'],
    thematicArea: 'education',
  }),
  service('MOE', 3, 1100, {
    title: t('تصديق الشهادات الدراسية', 'Attestation of school certificates'),
    description: t(
      'تصديق الشهادات الصادرة من المدارس الحكومية والخاصة في المملكة لاستخدامها في الداخل أو الخارج.',
      "Attest certificates issued by the Kingdom's public and private schools for use at home or abroad.",
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'الشهادة الأصلية',
        'Original certificate',
        'أصل الشهادة المراد تصديقها.',
        'The original certificate to be attested.',
        [ev('الشهادة', 'Certificate', 'أصل الشهادة الدراسية.', 'The original school certificate.')],
      ),
      R.identity,
    ],
    steps: steps(S.visit, S.payAtCounter, [
      'استلام الشهادة المصدّقة',
      'Collect the attested certificate',
      'تُسلَّم الشهادة مصدّقة في اليوم نفسه.',
      'The attested certificate is handed back the same day.',
    ]),
    outputs: [
      {
        name: t('شهادة مصدّقة', 'Attested certificate'),
        description: t(
          'الشهادة مختومة بختم التصديق.',
          'The certificate bearing the attestation stamp.',
        ),
        type: 'certificate',
      },
    ],
    processingTime: 'P1D',
    laws: [EDUCATION_LAW],
    channels: [counter('MOE')],
    costs: [fee('رسم التصديق لكل شهادة', 'Attestation fee per certificate', '2000')],
    lifeEvents: ['education'],
    thematicArea: 'education',
  }),

  // ── Ministry of Industry & Commerce ──
  service('MOIC', 1, 6100, {
    title: t('إصدار سجل تجاري', 'Commercial registration'),
    description: t(
      'تسجيل منشأة تجارية جديدة وإصدار سجلها التجاري عبر نظام سجلات.',
      'Register a new business and obtain its commercial registration through the Sijilat system.',
    ),
    keywords: [t('سجلات', 'Sijilat'), t('تأسيس شركة', 'company formation')],
    audience: ['businesses', 'citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'الاسم التجاري',
        'Trade name',
        'حجز اسم تجاري غير مستخدم.',
        'Reserving a trade name that is not already in use.',
      ),
      req(
        'عنوان المنشأة',
        'Business address',
        'عنوان مسجّل للنشاط التجاري.',
        'A registered address for the business.',
        [E.leaseOrDeed],
      ),
    ],
    steps: steps(
      S.login,
      [
        'اختيار الأنشطة',
        'Choose activities',
        'حدّد الشكل القانوني والأنشطة التجارية.',
        'Choose the legal form and business activities.',
      ],
      S.apply,
      S.pay,
      [
        'إصدار السجل',
        'Registration issued',
        'يصدر السجل بعد موافقة الجهات المعنية.',
        'The registration is issued once the relevant bodies approve.',
      ],
    ),
    outputs: [
      {
        name: t('السجل التجاري', 'Commercial registration'),
        description: t('شهادة السجل التجاري.', 'The commercial registration certificate.'),
        type: 'certificate',
      },
    ],
    processingTime: 'P3D',
    laws: [COMMERCIAL_REGISTER_LAW],
    channels: [online('commercial-registration'), counter('MOIC')],
    costs: [fee('رسم السجل التجاري السنوي', 'Yearly commercial registration fee', '50000')],
    businessEvents: ['starting_business'],
    thematicArea: 'business_commerce',
  }),
  service('MOIC', 2, 5200, {
    title: t('تجديد السجل التجاري', 'Commercial registration renewal'),
    description: t(
      'تجديد السجل التجاري سنوياً قبل انتهاء صلاحيته لتجنّب الغرامات.',
      'Renew a commercial registration every year before it expires to avoid penalties.',
    ),
    audience: ['businesses'],
    requirements: [
      req(
        'سجل قائم',
        'Existing registration',
        'سجل تجاري قائم غير مشطوب.',
        'An existing commercial registration that has not been struck off.',
        [E.commercialRegister],
      ),
    ],
    steps: steps(
      S.login,
      [
        'اختيار السجل',
        'Choose the registration',
        'اختر السجل المراد تجديده.',
        'Choose the registration to renew.',
      ],
      S.pay,
    ),
    outputs: [
      {
        name: t('السجل التجاري المجدَّد', 'Renewed registration'),
        description: t('سجل تجاري ساري لسنة.', 'A commercial registration valid for one year.'),
        type: 'certificate',
      },
    ],
    processingTime: 'P1D',
    laws: [COMMERCIAL_REGISTER_LAW],
    channels: [online('commercial-registration-renewal'), app],
    costs: [fee('رسم التجديد السنوي', 'Yearly renewal fee', '50000')],
    businessEvents: ['running_business'],
    thematicArea: 'business_commerce',
  }),
  service('MOIC', 3, 1900, {
    title: t('تقديم شكوى حماية المستهلك', 'Consumer protection complaint'),
    description: t(
      'تقديم شكوى ضد تاجر أو محل بسبب مخالفة حقوق المستهلك أو الأسعار أو الضمان.',
      'File a complaint against a trader or shop about consumer rights, prices or warranties.',
    ),
    keywords: [t('شكوى', 'complaint'), t('ضمان', 'warranty')],
    audience: ['citizens', 'residents', 'visitors'],
    requirements: [
      req(
        'إثبات الشراء',
        'Proof of purchase',
        'فاتورة أو إيصال الشراء.',
        'An invoice or purchase receipt.',
        [
          ev(
            'الفاتورة',
            'Invoice',
            'فاتورة الشراء أو صورة منها.',
            'The purchase invoice or a copy of it.',
          ),
        ],
      ),
    ],
    steps: steps(
      [
        'تقديم الشكوى',
        'Submit the complaint',
        'صف المشكلة وأرفق الفاتورة.',
        'Describe the problem and attach the invoice.',
      ],
      [
        'المتابعة',
        'Follow-up',
        'تتواصل الإدارة مع التاجر وتبلغك بالنتيجة.',
        'The directorate contacts the trader and informs you of the outcome.',
      ],
    ),
    outputs: [
      {
        name: t('قرار الشكوى', 'Complaint decision'),
        description: t('نتيجة دراسة الشكوى.', 'The outcome of the complaint.'),
        type: 'decision',
      },
    ],
    processingTime: 'P10D',
    laws: [CONSUMER_LAW],
    channels: [online('consumer-complaint'), app, phone],
    costs: [],
    thematicArea: 'business_commerce',
  }),

  // ── Labour Market Regulatory Authority ──
  service('LMRA', 1, 6800, {
    title: t('إصدار تصريح عمل لعامل أجنبي', 'Work permit for an expatriate worker'),
    description: t(
      'إصدار تصريح عمل لاستقدام عامل أجنبي للعمل لدى منشأة مسجّلة.',
      'Issue a work permit to bring in an expatriate worker for a registered establishment.',
    ),
    keywords: [t('استقدام', 'recruitment')],
    audience: ['businesses'],
    requirements: [
      R.employer,
      req(
        'جواز سفر العامل',
        "Worker's passport",
        'نسخة من جواز سفر العامل.',
        "A copy of the worker's passport.",
        [E.passport],
      ),
      req(
        'نسبة البحرنة',
        'Bahrainisation quota',
        'التزام المنشأة بنسبة البحرنة المقررة أو دفع الرسوم البديلة.',
        'The establishment meets its Bahrainisation quota or pays the alternative fee.',
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'إصدار التصريح',
      'Permit issued',
      'يصدر التصريح بعد اجتياز العامل الفحص الطبي.',
      'The permit is issued after the worker passes the medical examination.',
    ]),
    outputs: [
      {
        name: t('تصريح العمل', 'Work permit'),
        description: t('تصريح عمل لمدة سنتين.', 'A two-year work permit.'),
        type: 'permit',
      },
    ],
    processingTime: 'P5D',
    laws: [LABOUR_MARKET_LAW],
    rules: [
      {
        title: t('نسب البحرنة', 'Bahrainisation quotas'),
        description: t(
          'تحدد الهيئة نسبة العمالة الوطنية المطلوبة لكل نشاط.',
          'The authority sets the share of Bahraini staff required for each activity.',
        ),
      },
    ],
    channels: [online('work-permit')],
    costs: [fee('رسم تصريح العمل لمدة سنتين', 'Two-year work permit fee', '172000', 'online')],
    businessEvents: ['hiring_employees'],
    thematicArea: 'labour',
  }),
  service('LMRA', 2, 6400, {
    title: t('تجديد تصريح عمل', 'Work permit renewal'),
    description: t(
      'تجديد تصريح عمل العامل الأجنبي قبل انتهائه.',
      "Renew an expatriate worker's work permit before it expires.",
    ),
    audience: ['businesses'],
    requirements: [
      R.employer,
      req(
        'جواز ساري',
        'Valid passport',
        'جواز سفر العامل ساري المفعول.',
        "The worker's passport must be valid.",
        [E.passport],
      ),
    ],
    steps: steps(
      S.login,
      [
        'اختيار العامل',
        'Choose the worker',
        'اختر العامل المراد تجديد تصريحه.',
        'Choose the worker whose permit to renew.',
      ],
      S.pay,
    ),
    outputs: [
      {
        name: t('تصريح العمل', 'Work permit'),
        description: t('تصريح عمل مجدَّد لمدة سنتين.', 'A work permit renewed for two years.'),
        type: 'permit',
      },
    ],
    processingTime: 'P2D',
    laws: [LABOUR_MARKET_LAW],
    channels: [online('work-permit-renewal'), counter('LMRA')],
    costs: [fee('رسم تصريح العمل لمدة سنتين', 'Two-year work permit fee', '172000')],
    businessEvents: ['hiring_employees'],
    thematicArea: 'labour',
  }),
  service('LMRA', 3, 3900, {
    title: t('تصريح عمل لعامل منزلي', 'Domestic worker work permit'),
    description: t(
      'إصدار تصريح عمل لعامل منزلي يعمل لدى أسرة.',
      'Issue a work permit for a domestic worker employed by a household.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      R.identity,
      req(
        'جواز سفر العامل',
        "Worker's passport",
        'نسخة من جواز سفر العامل المنزلي.',
        "A copy of the domestic worker's passport.",
        [E.passport],
      ),
      req(
        'عقد العمل',
        'Employment contract',
        'عقد العمل الموحّد للعمالة المنزلية.',
        'The standard domestic worker employment contract.',
        [
          ev(
            'العقد الموقّع',
            'Signed contract',
            'عقد العمل موقّعاً من الطرفين.',
            'The contract signed by both parties.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay),
    outputs: [
      {
        name: t('تصريح العمل', 'Work permit'),
        description: t('تصريح عمل للعامل المنزلي.', 'A work permit for the domestic worker.'),
        type: 'permit',
      },
    ],
    processingTime: 'P3D',
    laws: [LABOUR_MARKET_LAW],
    channels: [online('domestic-worker-permit'), counter('LMRA')],
    costs: [fee('رسم تصريح العمل المنزلي', 'Domestic worker permit fee', '60000')],
    lifeEvents: ['employment'],
    thematicArea: 'labour',
  }),

  // ── Electricity & Water Authority ──
  service('EWA', 1, 2400, {
    title: t(
      'توصيل الكهرباء والماء لمبنى جديد',
      'Electricity and water connection for a new building',
    ),
    description: t(
      'طلب توصيل خدمات الكهرباء والماء إلى مبنى جديد بعد إنجاز التمديدات الداخلية.',
      'Request electricity and water for a new building once its internal wiring and plumbing are complete.',
    ),
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      req(
        'رخصة البناء',
        'Building permit',
        'رخصة بناء سارية للمبنى.',
        'A valid building permit for the building.',
        [
          ev(
            'رخصة البناء',
            'Building permit',
            'نسخة من رخصة البناء الصادرة من البلدية.',
            'A copy of the building permit issued by the municipality.',
          ),
        ],
      ),
      req(
        'فحص التمديدات',
        'Installation inspection',
        'اجتياز فحص التمديدات الكهربائية.',
        'The electrical installation must pass inspection.',
        [
          ev(
            'شهادة المقاول',
            "Contractor's certificate",
            'شهادة المقاول المعتمد بإنجاز التمديدات.',
            'The approved contractor’s completion certificate.',
          ),
        ],
      ),
    ],
    steps: steps(
      S.login,
      S.apply,
      [
        'الفحص الميداني',
        'Site inspection',
        'يزور مهندس الهيئة الموقع.',
        'An engineer of the authority visits the site.',
      ],
      S.pay,
      [
        'التوصيل',
        'Connection',
        'يُركَّب العداد وتُوصَل الخدمة.',
        'The meter is installed and the supply is connected.',
      ],
    ),
    outputs: [
      {
        name: t('توصيل الخدمة', 'Service connection'),
        description: t('حساب كهرباء وماء فعّال.', 'An active electricity and water account.'),
        type: 'other',
      },
    ],
    processingTime: 'P15D',
    laws: [ELECTRICITY_LAW],
    channels: [online('new-connection'), counter('EWA')],
    costs: [fee('رسم التوصيل للوحدة السكنية', 'Connection fee per housing unit', '300000')],
    lifeEvents: ['housing'],
    businessEvents: ['building_premises'],
    thematicArea: 'utilities',
  }),
  service('EWA', 2, 9300, {
    title: t('دفع فواتير الكهرباء والماء', 'Electricity and water bill payment'),
    description: t(
      'الاستعلام عن فاتورة الكهرباء والماء ودفعها لحسابك أو لحساب آخر.',
      'Look up and pay the electricity and water bill of your account or of another account.',
    ),
    keywords: [t('فاتورة', 'bill')],
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [],
    steps: steps(
      [
        'إدخال رقم الحساب',
        'Enter the account number',
        'أدخل رقم حساب الكهرباء والماء.',
        'Enter the electricity and water account number.',
      ],
      ['الدفع', 'Pay', 'ادفع المبلغ المستحق إلكترونياً.', 'Pay the amount due online.'],
    ),
    outputs: [
      {
        name: t('إيصال الدفع', 'Payment receipt'),
        description: t(
          'إيصال إلكتروني بالمبلغ المدفوع.',
          'An electronic receipt of the amount paid.',
        ),
        type: 'document',
      },
    ],
    processingTime: 'PT5M',
    laws: [ELECTRICITY_LAW],
    channels: [online('ewa-bill-payment'), app, kiosk],
    costs: [],
    lifeEvents: ['housing'],
    thematicArea: 'utilities',
  }),
  service('EWA', 3, 2900, {
    title: t('فتح حساب كهرباء وماء', 'Opening an electricity and water account'),
    description: t(
      'فتح حساب كهرباء وماء باسم المستأجر أو المالك الجديد عند الانتقال إلى مسكن.',
      'Open an electricity and water account in the name of a new tenant or owner when moving in.',
    ),
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      R.identity,
      req(
        'إثبات السكن',
        'Proof of occupancy',
        'عقد إيجار أو وثيقة ملكية العقار.',
        'A lease contract or the title deed of the property.',
        [E.leaseOrDeed],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay),
    outputs: [
      {
        name: t('حساب الكهرباء والماء', 'Electricity and water account'),
        description: t('حساب باسم مقدم الطلب.', "An account in the applicant's name."),
        type: 'other',
      },
    ],
    processingTime: 'P2D',
    laws: [ELECTRICITY_LAW],
    channels: [online('open-account'), counter('EWA')],
    costs: [fee('تأمين الحساب السكني', 'Residential account deposit', '50000')],
    lifeEvents: ['moving', 'housing'],
    thematicArea: 'utilities',
  }),

  // ── Ministry of Justice, Islamic Affairs & Waqf ──
  service('MOJ', 1, 1300, {
    title: t('توثيق عقد الزواج', 'Marriage contract registration'),
    description: t(
      'توثيق عقد الزواج لدى المأذون الشرعي وتسجيله في سجلات الوزارة.',
      "Register a marriage contract with an authorised marriage officiant and record it in the ministry's registers.",
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'هوية الزوجين والولي',
        'Identity of the spouses and guardian',
        'بطاقات هوية الزوجين وولي الزوجة.',
        "The identity cards of both spouses and the bride's guardian.",
        [E.idCard],
      ),
      req(
        'الفحص الطبي قبل الزواج',
        'Pre-marital medical examination',
        'شهادة الفحص الطبي قبل الزواج من وزارة الصحة.',
        'The pre-marital medical examination certificate from the Ministry of Health.',
        [
          ev(
            'شهادة الفحص',
            'Examination certificate',
            'شهادة الفحص الطبي قبل الزواج.',
            'The pre-marital examination certificate.',
          ),
        ],
      ),
      req('شاهدان', 'Two witnesses', 'حضور شاهدين بالغين.', 'Two adult witnesses must attend.'),
    ],
    steps: steps(
      [
        'حجز موعد مع المأذون',
        'Book the officiant',
        'تواصل مع مأذون شرعي معتمد.',
        'Contact an authorised marriage officiant.',
      ],
      [
        'إبرام العقد',
        'Conclude the contract',
        'يُبرم العقد بحضور الولي والشاهدين.',
        'The contract is concluded in the presence of the guardian and witnesses.',
      ],
      [
        'التوثيق',
        'Registration',
        'يُسلَّم العقد إلى الوزارة لتوثيقه.',
        'The contract is handed to the ministry for registration.',
      ],
    ),
    outputs: [
      {
        name: t('عقد الزواج الموثّق', 'Registered marriage contract'),
        description: t('وثيقة عقد زواج رسمية.', 'An official marriage contract.'),
        type: 'document',
      },
    ],
    processingTime: 'P3D',
    laws: [FAMILY_LAW],
    channels: [counter('MOJ')],
    costs: [fee('رسم توثيق عقد الزواج', 'Marriage contract registration fee', '10000')],
    lifeEvents: ['getting_married'],
    thematicArea: 'justice',
  }),
  service('MOJ', 2, 3600, {
    title: t('توثيق الوكالات', 'Notarisation of powers of attorney'),
    description: t(
      'توثيق وكالة عامة أو خاصة لدى الكاتب العدل.',
      'Notarise a general or special power of attorney before a notary.',
    ),
    keywords: [t('كاتب العدل', 'notary'), t('وكالة', 'power of attorney')],
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      req(
        'هوية الموكّل والوكيل',
        'Identity of the principal and agent',
        'بطاقتا هوية الموكّل والوكيل.',
        'The identity cards of the principal and the agent.',
        [E.idCard],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'التوقيع',
      'Signature',
      'يوقّع الموكّل أمام الكاتب العدل حضورياً أو عن بُعد.',
      'The principal signs before the notary in person or remotely.',
    ]),
    outputs: [
      {
        name: t('الوكالة الموثّقة', 'Notarised power of attorney'),
        description: t('وكالة موثّقة رسمياً.', 'An officially notarised power of attorney.'),
        type: 'document',
      },
    ],
    processingTime: 'P1D',
    laws: [NOTARY_LAW],
    channels: [online('power-of-attorney'), counter('MOJ')],
    costs: [fee('رسم توثيق الوكالة', 'Notarisation fee', '5000')],
    lifeEvents: ['legal_matters'],
    thematicArea: 'justice',
  }),
  service('MOJ', 3, 1600, {
    title: t('رفع الدعاوى إلكترونياً', 'Filing a lawsuit online'),
    description: t(
      'قيد الدعاوى المدنية والتجارية وسداد رسومها إلكترونياً دون مراجعة المحكمة.',
      'File civil and commercial lawsuits and pay their fees online without visiting the court.',
    ),
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      R.identity,
      req(
        'صحيفة الدعوى',
        'Statement of claim',
        'صحيفة دعوى مستوفية للبيانات المطلوبة.',
        'A statement of claim with all the required details.',
        [
          ev(
            'صحيفة الدعوى',
            'Statement of claim',
            'صحيفة الدعوى والمستندات المؤيدة لها.',
            'The statement of claim and its supporting documents.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay, [
      'تحديد الجلسة',
      'Hearing date',
      'يُحدَّد موعد الجلسة ويُبلَّغ الأطراف.',
      'A hearing date is set and the parties are notified.',
    ]),
    outputs: [
      {
        name: t('إشعار قيد الدعوى', 'Filing notice'),
        description: t(
          'رقم الدعوى وموعد الجلسة الأولى.',
          'The case number and the first hearing date.',
        ),
        type: 'document',
      },
    ],
    processingTime: 'P2D',
    laws: [PROCEDURES_LAW],
    channels: [online('file-lawsuit')],
    costs: [fee('الحد الأدنى لرسم قيد الدعوى', 'Minimum filing fee', '20000', 'online')],
    lifeEvents: ['legal_matters'],
    thematicArea: 'justice',
  }),
  service('MOJ', 4, 800, {
    title: t('إصدار إعلام الوراثة', 'Certificate of inheritance'),
    description: t(
      'إصدار إعلام شرعي بحصر ورثة المتوفى وأنصبتهم.',
      'Issue a legal certificate listing the heirs of a deceased person and their shares.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'شهادة الوفاة',
        'Death certificate',
        'شهادة وفاة المورِّث.',
        'The death certificate of the deceased.',
        [
          ev(
            'شهادة الوفاة',
            'Death certificate',
            'أصل شهادة الوفاة.',
            'The original death certificate.',
          ),
        ],
      ),
      req(
        'هويات الورثة',
        "Heirs' identity",
        'بطاقات هوية الورثة.',
        'The identity cards of the heirs.',
        [E.idCard],
      ),
    ],
    steps: steps(S.visit, S.payAtCounter, [
      'صدور الإعلام',
      'Certificate issued',
      'يصدر الإعلام بعد التحقق من الورثة.',
      'The certificate is issued once the heirs are verified.',
    ]),
    outputs: [
      {
        name: t('إعلام الوراثة', 'Certificate of inheritance'),
        description: t('إعلام شرعي بحصر الورثة.', 'A legal certificate of the heirs.'),
        type: 'certificate',
      },
    ],
    processingTime: 'P7D',
    laws: [FAMILY_LAW],
    channels: [counter('MOJ')],
    costs: [fee('رسم إصدار الإعلام', 'Certificate fee', '3000')],
    lifeEvents: ['death_of_relative', 'legal_matters'],
    thematicArea: 'justice',
  }),

  // ── Ministry of Housing & Urban Planning ──
  service('MOHUP', 1, 4400, {
    title: t('تقديم طلب خدمة إسكانية', 'Housing service application'),
    description: t(
      'تقديم طلب للحصول على وحدة سكنية أو قرض إسكاني أو قسيمة سكنية.',
      'Apply for a housing unit, a housing loan or a residential plot.',
    ),
    keywords: [t('بيت', 'house'), t('قرض', 'loan')],
    audience: ['citizens'],
    requirements: [
      R.identity,
      req(
        'الحالة الاجتماعية',
        'Family status',
        'أن يكون مقدم الطلب متزوجاً أو عائلاً لأسرة.',
        'The applicant must be married or the head of a family.',
        [
          ev(
            'عقد الزواج',
            'Marriage contract',
            'نسخة من عقد الزواج.',
            'A copy of the marriage contract.',
          ),
        ],
      ),
      req(
        'الدخل',
        'Income',
        'ألا يتجاوز دخل الأسرة الحد المقرر.',
        'The family income must not exceed the set limit.',
        [
          ev(
            'شهادة الراتب',
            'Salary certificate',
            'شهادة راتب حديثة.',
            'A recent salary certificate.',
          ),
        ],
      ),
    ],
    steps: steps(S.login, S.apply, [
      'دراسة الطلب',
      'Review',
      'تدرس الوزارة الطلب وتبلغك بقرار الأهلية.',
      'The ministry reviews the application and notifies you of eligibility.',
    ]),
    outputs: [
      {
        name: t('قرار الأهلية', 'Eligibility decision'),
        description: t(
          'قرار بقبول الطلب وإدراجه في قائمة الانتظار.',
          'A decision accepting the application onto the waiting list.',
        ),
        type: 'decision',
      },
    ],
    processingTime: 'P30D',
    laws: [HOUSING_LAW],
    channels: [online('housing-application'), app],
    costs: [],
    lifeEvents: ['housing', 'getting_married'],
    thematicArea: 'housing',
  }),

  // ── Municipalities Affairs ──
  service('MUN', 1, 2700, {
    title: t('إصدار رخصة بناء', 'Building permit'),
    description: t(
      'إصدار رخصة بناء أو هدم أو إضافة عبر نظام بنايات بعد اعتماد المخططات.',
      'Obtain a permit to build, demolish or extend through the Benayat system once the plans are approved.',
    ),
    keywords: [t('بنايات', 'Benayat'), t('مخطط', 'plan')],
    audience: ['citizens', 'residents', 'businesses'],
    requirements: [
      req('ملكية الأرض', 'Land ownership', 'وثيقة ملكية الأرض.', 'The title deed of the land.', [
        E.leaseOrDeed,
      ]),
      req(
        'المخططات الهندسية',
        'Engineering drawings',
        'مخططات معتمدة من مكتب هندسي مرخّص.',
        'Drawings approved by a licensed engineering office.',
        [
          ev(
            'المخططات',
            'Drawings',
            'المخططات المعمارية والإنشائية.',
            'The architectural and structural drawings.',
          ),
        ],
      ),
    ],
    steps: steps(
      [
        'تقديم الطلب عبر المكتب الهندسي',
        'Apply through the engineering office',
        'يقدّم المكتب الهندسي الطلب والمخططات.',
        'The engineering office submits the application and drawings.',
      ],
      [
        'مراجعة المخططات',
        'Plan review',
        'تراجع الجهات المختصة المخططات.',
        'The competent bodies review the drawings.',
      ],
      S.pay,
    ),
    outputs: [
      {
        name: t('رخصة البناء', 'Building permit'),
        description: t('رخصة بناء سارية لمدة سنة.', 'A building permit valid for one year.'),
        type: 'permit',
      },
    ],
    processingTime: 'P15D',
    laws: [BUILDINGS_LAW],
    channels: [online('building-permit')],
    costs: [fee('رسم دراسة الطلب', 'Application review fee', '20000', 'online')],
    lifeEvents: ['housing'],
    businessEvents: ['building_premises'],
    thematicArea: 'municipal',
  }),
  service('MUN', 2, 1200, {
    title: t('ترخيص إعلان تجاري', 'Commercial advertisement permit'),
    description: t(
      'ترخيص لوحة إعلانية أو لافتة تجارية على واجهة محل أو في موقع عام.',
      'Licence a billboard or shop sign on a storefront or in a public place.',
    ),
    audience: ['businesses'],
    requirements: [
      req(
        'سجل تجاري',
        'Commercial registration',
        'سجل تجاري ساري للمنشأة.',
        'A valid commercial registration.',
        [E.commercialRegister],
      ),
      req(
        'تصميم الإعلان',
        'Advertisement design',
        'صورة من تصميم الإعلان وأبعاده وموقعه.',
        'A picture of the design with its size and location.',
        [ev('التصميم', 'Design', 'ملف التصميم.', 'The design file.')],
      ),
    ],
    steps: steps(S.login, S.apply, S.pay),
    outputs: [
      {
        name: t('ترخيص الإعلان', 'Advertisement permit'),
        description: t('ترخيص إعلان لمدة سنة.', 'A one-year advertisement permit.'),
        type: 'permit',
      },
    ],
    processingTime: 'P5D',
    laws: [MUNICIPALITIES_LAW],
    channels: [online('advertisement-permit'), counter('MUN')],
    costs: [fee('رسم ترخيص الإعلان السنوي', 'Yearly advertisement permit fee', '15000')],
    businessEvents: ['running_business'],
    thematicArea: 'municipal',
  }),
  service('MUN', 3, 600, {
    title: t('إصدار تصريح دفن', 'Burial permit'),
    description: t(
      'إصدار تصريح دفن المتوفى في إحدى المقابر العامة.',
      'Issue a permit to bury the deceased in a public cemetery.',
    ),
    audience: ['citizens', 'residents'],
    requirements: [
      req(
        'شهادة الوفاة',
        'Death certificate',
        'شهادة الوفاة أو إشعار الوفاة الطبي.',
        'The death certificate or the medical notice of death.',
        [
          ev(
            'شهادة الوفاة',
            'Death certificate',
            'أصل شهادة الوفاة أو الإشعار.',
            'The original death certificate or notice.',
          ),
        ],
      ),
    ],
    steps: steps(S.visit, [
      'استلام التصريح',
      'Collect the permit',
      'يصدر التصريح فوراً.',
      'The permit is issued immediately.',
    ]),
    outputs: [
      {
        name: t('تصريح الدفن', 'Burial permit'),
        description: t('تصريح دفن في مقبرة عامة.', 'A permit for burial in a public cemetery.'),
        type: 'permit',
      },
    ],
    processingTime: 'PT1H',
    laws: [MUNICIPALITIES_LAW],
    channels: [counter('MUN')],
    costs: [],
    lifeEvents: ['death_of_relative'],
    thematicArea: 'municipal',
  }),
];

export function demoServiceCode(service: Pick<DemoService, 'agencyCode' | 'number'>): string {
  return `${service.agencyCode}-${String(service.number).padStart(4, '0')}`;
}

/** The demo services as published editions (version 1), as the open-data export reads them. */
export function demoPublishedServices(
  publishedAt = new Date('2025-01-05T06:00:00Z'),
): PublishedService[] {
  return DEMO_SERVICES.map((s) => {
    const agency = DEMO_AGENCIES.find((a) => a.code === s.agencyCode)!;
    const code = demoServiceCode(s);
    return {
      code,
      version: 1,
      publishedAt,
      agency: {
        code: agency.code,
        nameAr: agency.nameAr,
        nameEn: agency.nameEn,
        website: agency.website,
      },
      content: s.content,
      pageUrl: `${PORTAL}/services/${code}`,
    };
  });
}
