/* eslint-disable @typescript-eslint/no-unsafe-function-type -- TypeORM lists entities as Function */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getMetadataArgsStorage } from 'typeorm';

/** The compiled `src/` folder this script runs from. */
export const SRC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)],
  );
}

/** Every entity class in the application, found by file name (`*.entity.js`). */
export async function loadAllEntities(onlyUnder?: string): Promise<Function[]> {
  const wanted = (f: string) =>
    !onlyUnder ||
    f.startsWith(join(SRC_DIR, 'platform')) ||
    f.startsWith(join(SRC_DIR, onlyUnder.replace(/^src\//, '')));
  for (const file of walk(SRC_DIR).filter((f) => f.endsWith('.entity.js') && wanted(f)))
    await import(pathToFileURL(file).href);
  return getMetadataArgsStorage()
    .tables.map((t) => t.target)
    .filter((t): t is Function => typeof t === 'function');
}
