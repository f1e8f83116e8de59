import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { missingServerFlags, SERVER_NODE_FLAGS } from './node-flags.js';

describe('server Node flags', () => {
  it('are the ones `npm start` passes to the server process', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      scripts: Record<string, string>;
    };
    const start = pkg.scripts.start.split('&&').pop()!.trim();
    expect(start.startsWith('node ')).toBe(true);
    for (const flag of SERVER_NODE_FLAGS) expect(start.split(/\s+/)).toContain(flag);
  });

  it('names only what a process lacks, by flag name', () => {
    expect(missingServerFlags([])).toEqual([...SERVER_NODE_FLAGS]);
    expect(missingServerFlags(['--max-semi-space-size=32', '--enable-source-maps'])).toEqual([]);
    expect(missingServerFlags(['--max-old-space-size=4096'])).toEqual(['--max-semi-space-size=64']);
  });
});
