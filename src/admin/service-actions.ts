import {
  type ActionContext,
  type ActionRequest,
  type ActionResponse,
  flat,
  ValidationError,
} from 'adminjs';
import { DomainException } from '../platform/errors/domain-exception.js';
import { actorOf } from './admin-actor.js';
import type { Actor } from '../platform/auth/roles.js';

/**
 * AdminJS writes through the adapter by default; Diwan's records must go through their
 * services instead, so that rules, four-eyes checks and the audit log (same transaction)
 * apply in the back office exactly as in the API. These build such action handlers.
 */
type Payload = Record<string, unknown>;

function toValidationError(e: unknown): never {
  if (e instanceof DomainException) {
    const propertyErrors = Object.fromEntries(
      e.errors.map((f) => [f.field.split(/[.[]/)[0], { message: f.message, type: f.reason }]),
    );
    throw new ValidationError(propertyErrors, {
      message: e.detail ?? e.definition.title,
      type: e.code,
    });
  }
  throw e;
}

/** Empty strings from HTML forms mean "not set". */
export function cleanPayload(payload: Payload | undefined): Payload {
  const unflat = flat.unflatten(payload ?? {}) as Payload;
  return Object.fromEntries(Object.entries(unflat).map(([k, v]) => [k, v === '' ? null : v]));
}

export function serviceNew(
  create: (actor: Actor, payload: Payload) => Promise<{ id: string; notice?: string }>,
) {
  return async (
    request: ActionRequest,
    _response: unknown,
    context: ActionContext,
  ): Promise<ActionResponse> => {
    const { resource, h, currentAdmin } = context;
    if (request.method !== 'post')
      return {
        record: {
          params: {},
          populated: {},
          errors: {},
          baseError: null,
          id: '',
          title: '',
          recordActions: [],
          bulkActions: [],
        } as never,
      };
    let created: { id: string; notice?: string };
    try {
      created = await create(
        actorOf(currentAdmin, (request as unknown as { ip?: string }).ip),
        cleanPayload(request.payload),
      );
    } catch (e) {
      return toValidationError(e);
    }
    const record = await resource.findOne(created.id, context);
    return {
      record: record!.toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({
        resourceId: resource._decorated?.id() ?? resource.id(),
        recordId: created.id,
        actionName: 'show',
      }),
      notice: { message: created.notice ?? 'Created', type: 'success' },
    };
  };
}

export function serviceEdit(
  update: (actor: Actor, id: string, payload: Payload) => Promise<unknown>,
) {
  return async (
    request: ActionRequest,
    _response: unknown,
    context: ActionContext,
  ): Promise<ActionResponse> => {
    const { record, resource, h, currentAdmin } = context;
    if (!record) throw new Error('record missing');
    if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
    try {
      await update(actorOf(currentAdmin), String(record.id()), cleanPayload(request.payload));
    } catch (e) {
      return toValidationError(e);
    }
    const fresh = await resource.findOne(String(record.id()), context);
    return {
      record: fresh!.toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({
        resourceId: resource._decorated?.id() ?? resource.id(),
        recordId: String(record.id()),
        actionName: 'show',
      }),
      notice: { message: 'Saved', type: 'success' },
    };
  };
}

/** A record action that runs a service call, e.g. revoke, approve, publish. */
export function serviceRecordAction(run: (actor: Actor, id: string) => Promise<string | void>) {
  return async (
    _request: ActionRequest,
    _response: unknown,
    context: ActionContext,
  ): Promise<ActionResponse> => {
    const { record, resource, h, currentAdmin } = context;
    if (!record) throw new Error('record missing');
    let message: string | void;
    try {
      message = await run(actorOf(currentAdmin), String(record.id()));
    } catch (e) {
      const text =
        e instanceof DomainException ? (e.detail ?? e.definition.title) : 'The action failed';
      return { record: record.toJSON(currentAdmin), notice: { message: text, type: 'error' } };
    }
    const fresh = await resource.findOne(String(record.id()), context);
    return {
      record: fresh!.toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({
        resourceId: resource._decorated?.id() ?? resource.id(),
        recordId: String(record.id()),
        actionName: 'show',
      }),
      notice: { message: message || 'Done', type: 'success' },
    };
  };
}
