// node-pg-migrate publishes its types through package.json "exports", which this project's
// CommonJS module resolution ("node") does not read; point the import at them directly.
declare module 'node-pg-migrate' {
  export { runner } from 'node-pg-migrate/dist/bundle/index';
}
