/* eslint-disable @typescript-eslint/no-unsafe-function-type -- TypeORM's type for migration classes */
// Every migration, in order. `npm run migration:generate` appends new ones here.
// An explicit list (rather than a glob) loads the same way under Node, the build and Jest.
import { Foundation1795988113441 } from './1795988113441-Foundation.js';
import { Payments1795989035069 } from './1795989035069-Payments.js';
import { StrategyKpisAndExports1795989046796 } from './1795989046796-StrategyKpisAndExports.js';
import { Registry1795989047290 } from './1795989047290-Registry.js';
import { NotifyApiKeys1795989197455 } from './1795989197455-NotifyApiKeys.js';
import { EkeyAccounts1795989275823 } from './1795989275823-EkeyAccounts.js';
import { Notifications1795989385497 } from './1795989385497-Notifications.js';
import { NotifyCallbacks1795989679942 } from './1795989679942-NotifyCallbacks.js';
import { RegistryEditionAgency1795989896333 } from './1795989896333-RegistryEditionAgency.js';
import { EkeyOpenIdProvider1795989929884 } from './1795989929884-EkeyOpenIdProvider.js';
import { NotifyOptOuts1795991289504 } from './1795991289504-NotifyOptOuts.js';
import { EkeyRelyingPartyApiClient1795997231153 } from './1795997231153-EkeyRelyingPartyApiClient.js';
import { NotificationsSimulated1795997528044 } from './1795997528044-NotificationsSimulated.js';
import { NotifyBulkJobs1795997589064 } from './1795997589064-NotifyBulkJobs.js';
import { RegistryServiceFiguresAndSearchTiers1795997739591 } from './1795997739591-RegistryServiceFiguresAndSearchTiers.js';
import { NotifyCallbackStatus1795998000000 } from './1795998000000-NotifyCallbackStatus.js';
import { EkeyPasskeys1795998846981 } from './1795998846981-EkeyPasskeys.js';
import { RegistryServiceSearch1796006641835 } from './1796006641835-RegistryServiceSearch.js';
import { PaymentStatsRollups1796006773052 } from './1796006773052-PaymentStatsRollups.js';
import { PaymentStatsSerialReads1796007183175 } from './1796007183175-PaymentStatsSerialReads.js';
import { PaymentStatsTriggerDeltas1796007828871 } from './1796007828871-PaymentStatsTriggerDeltas.js';
import { RegistryDropEditionSearchIndexes1796009501972 } from './1796009501972-RegistryDropEditionSearchIndexes.js';
import { PaymentStatsNoParallelScans1796011200000 } from './1796011200000-PaymentStatsNoParallelScans.js';
import { NotificationLeanIndexes1796015709150 } from './1796015709150-NotificationLeanIndexes.js';
import { ApiClientChangeNotifications1796016500000 } from './1796016500000-ApiClientChangeNotifications.js';
import { AuditEventQueue1796023132836 } from './1796023132836-AuditEventQueue.js';
import { NotificationStatusIndexFailuresOnly1796024000000 } from './1796024000000-NotificationStatusIndexFailuresOnly.js';
export const MIGRATIONS: Function[] = [
  Foundation1795988113441,
  Payments1795989035069,
  StrategyKpisAndExports1795989046796,
  Registry1795989047290,
  NotifyApiKeys1795989197455,
  EkeyAccounts1795989275823,
  Notifications1795989385497,
  NotifyCallbacks1795989679942,
  RegistryEditionAgency1795989896333,
  EkeyOpenIdProvider1795989929884,
  NotifyOptOuts1795991289504,
  EkeyRelyingPartyApiClient1795997231153,
  NotificationsSimulated1795997528044,
  NotifyBulkJobs1795997589064,
  RegistryServiceFiguresAndSearchTiers1795997739591,
  NotifyCallbackStatus1795998000000,
  EkeyPasskeys1795998846981,
  RegistryServiceSearch1796006641835,
  PaymentStatsRollups1796006773052,
  PaymentStatsSerialReads1796007183175,
  PaymentStatsTriggerDeltas1796007828871,
  RegistryDropEditionSearchIndexes1796009501972,
  PaymentStatsNoParallelScans1796011200000,
  NotificationLeanIndexes1796015709150,
  ApiClientChangeNotifications1796016500000,
  AuditEventQueue1796023132836,
  NotificationStatusIndexFailuresOnly1796024000000,
];
