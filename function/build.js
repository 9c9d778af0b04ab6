/**
 * `npm run build`: bundles the two entry points, dist/main.js and dist/migrate.js, with
 * esbuild, so start-up reads one file instead of resolving and reading some 350 modules.
 * Type-checking is tsc's job (`npm run typecheck`).
 *
 * wink-nlp and its model stay in node_modules: the lexicon bound (src/recognizer/
 * lexicon-bound.ts) loads a private instance of wink-nlp through require.cache, and the
 * model's 3.5 MB of JSON costs less to read from its files than to keep as bundle source.
 */
const { rmSync } = require('node:fs');
const esbuild = require('esbuild');

/** How the function is bundled; the NER benchmarks bundle the recognizer the same way. */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['wink-nlp', 'wink-eng-lite-web-model'],
  logLevel: 'warning',
};

module.exports = { BUNDLE_OPTIONS };

if (require.main === module) {
  rmSync('dist', { recursive: true, force: true });
  esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: ['src/main.ts', 'src/migrate.ts'], outdir: 'dist' }).then((result) => {
    // A warning here means a require the bundle cannot honour at run time: fail the build.
    if (result.warnings.length > 0) process.exit(1);
  }, () => process.exit(1));
}
