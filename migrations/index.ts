/* eslint-disable @typescript-eslint/no-unsafe-function-type -- TypeORM's type for migration classes */
// Every migration, in order. `npm run migration:generate` appends new ones here.
// An explicit list (rather than a glob) loads the same way under Node, the build and Jest.
import { Foundation1795988113441 } from './1795988113441-Foundation.js';
import { StrategyKpisAndExports1795989046796 } from './1795989046796-StrategyKpisAndExports.js';
export const MIGRATIONS: Function[] = [Foundation1795988113441, StrategyKpisAndExports1795989046796];
