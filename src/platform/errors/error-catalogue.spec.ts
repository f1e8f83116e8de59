import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { renderErrorCatalogue } from './error-catalogue.js';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)],
  );

describe('error catalogue', () => {
  it('keeps docs/errors.md in step with every defineErrors call', async () => {
    for (const f of walk('src').filter((f) => f.endsWith('.errors.ts')))
      await import(join(process.cwd(), f));
    expect(readFileSync('docs/errors.md', 'utf8')).toBe(renderErrorCatalogue());
  });
});
