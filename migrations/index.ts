// Every migration, in order. `npm run migration:generate` appends new ones here.
// An explicit list (rather than a glob) loads the same way under Node, the build and Jest.
export const MIGRATIONS: Function[] = [];
