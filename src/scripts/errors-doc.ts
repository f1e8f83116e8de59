/** `npm run docs:errors`: writes docs/errors.md from every `*.errors.js` in the build. */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderErrorCatalogue } from '../platform/errors/error-catalogue.js';
import { SRC_DIR } from './script-support.js';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)],
  );
for (const f of walk(SRC_DIR).filter((f) => f.endsWith('.errors.js')))
  await import(pathToFileURL(f).href);
writeFileSync(join(SRC_DIR, '..', '..', 'docs', 'errors.md'), renderErrorCatalogue());
process.stdout.write('wrote docs/errors.md\n');
