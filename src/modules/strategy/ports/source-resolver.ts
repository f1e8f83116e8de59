import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/**
 * Finds another module's exported service at call time, by its class name, without importing
 * it: strategy must start (and report "unavailable") when a module has not landed, and must
 * not create an import cycle when it has. Only the contract methods are used.
 */
@Injectable()
export class SourceResolver {
  constructor(private readonly modules: ModulesContainer) {}

  find<T extends object>(className: string, methods: readonly (keyof T & string)[]): T | null {
    // A replacement bound inside the strategy module itself wins (a deployment's stub, a test's fake).
    const modules = [...this.modules.values()].sort(
      (a, b) =>
        Number(b.metatype?.name === 'StrategyModule') -
        Number(a.metatype?.name === 'StrategyModule'),
    );
    for (const mod of modules) {
      for (const [token, wrapper] of mod.providers) {
        const name =
          typeof token === 'function' ? token.name : typeof token === 'string' ? token : undefined;
        if (name !== className) continue;
        const instance: unknown = wrapper.instance;
        if (!instance || typeof instance !== 'object') continue;
        const candidate = instance as Record<string, unknown>;
        if (methods.every((m) => typeof candidate[m] === 'function')) return instance as T;
      }
    }
    return null;
  }
}
