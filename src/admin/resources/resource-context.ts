import type { ResourceWithOptions } from 'adminjs';
import type { roleIs } from '../admin-actor.js';

/** Looks up a Nest provider for a resource's actions (services only, never repositories). */
export type Resolve = <T>(type: abstract new (...args: never[]) => T) => T;

/**
 * The AdminJS classes a factory may build its own resource from (loaded with AdminJS, which
 * the panel imports only once its bundle folder is set).
 */
export interface AdminRuntime {
  BaseProperty: typeof import('adminjs').BaseProperty;
  TypeormResource: typeof import('@adminjs/typeorm').Resource;
}

export type ResourceFactory = (resolve: Resolve, runtime: AdminRuntime) => ResourceWithOptions[];

export const NAV = {
  platform: { name: 'Platform', icon: 'Settings' },
  security: { name: 'Security', icon: 'Shield' },
} as const;

/** AdminJS has no resource-level access check: every built-in read action gets it. */
export const onlyFor = (check: ReturnType<typeof roleIs>) => ({
  list: { isAccessible: check, isVisible: check },
  show: { isAccessible: check },
  search: { isAccessible: check },
});

/** No writes through the adapter at all. */
export const readOnly = {
  new: { isAccessible: false },
  edit: { isAccessible: false },
  delete: { isAccessible: false },
  bulkDelete: { isAccessible: false },
};
