// What the registry needs from payments to show each service's yearly payment figures, as a
// port: the registry defines it and never imports payments; whoever may know both binds
// SERVICE_FIGURES_SOURCE to an implementation (src/service-figures.bridge.ts).

/** One payment channel's share of a service's year (succeeded transactions). */
export interface ServiceChannelFigures {
  channel: string;
  /** Paid without a person handling it at a government desk. */
  electronic: boolean;
  /** Succeeded payments. */
  count: number;
  /** Their value in fils (a digit string). */
  grossFils: string;
  /** Value net of refunds and reversals, in fils (a digit string, may be negative). */
  netFils: string;
}

/** A service's payments in one Asia/Bahrain calendar year. */
export interface ServiceYearFigures {
  serviceCode: string;
  year: number;
  /** Channels in a fixed order (electronic first), only those with transactions. */
  channels: ServiceChannelFigures[];
  /** Electronic share of net count and of net value, 0–1 rounded to 4 decimals. */
  electronicShare: { byCount: number; byValue: number };
}

export interface ServiceFiguresSource {
  /** Every year of one service, oldest first. */
  figuresOf(serviceCode: string): Promise<ServiceYearFigures[]>;
  /** Every year of every service that has payments, by code then year. */
  allFigures(): Promise<ServiceYearFigures[]>;
}

/** Injection token of the ServiceFiguresSource (optional: absent, services show no figures). */
export const SERVICE_FIGURES_SOURCE = Symbol('SERVICE_FIGURES_SOURCE');
