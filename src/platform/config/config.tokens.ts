/** Injection tokens of the typed, frozen config areas. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');
export const REDIS_CONFIG = Symbol('REDIS_CONFIG');
export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');
export const ADMIN_CONFIG = Symbol('ADMIN_CONFIG');
export const DIWAN_CONFIG = Symbol('DIWAN_CONFIG');
