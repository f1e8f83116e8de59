import type { ResourceWithOptions } from 'adminjs';

/** Looks up a Nest provider for a resource's actions (services only, never repositories). */
export type Resolve = <T>(type: abstract new (...args: never[]) => T) => T;

export type ResourceFactory = (resolve: Resolve) => ResourceWithOptions[];

export const NAV = {
  platform: { name: 'Platform', icon: 'Settings' },
  security: { name: 'Security', icon: 'Shield' },
} as const;
