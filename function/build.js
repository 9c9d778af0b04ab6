/**
 * `npm run build`: bundles the two entry points, dist/main.js and dist/migrate.js, with
 * esbuild, so start-up reads one file instead of resolving and reading some 350 modules, and
 * writes dist/compiled-schemas.js (below). Type-checking is tsc's job (`npm run typecheck`).
 *
 * wink-nlp and its model stay in node_modules: the lexicon bound (src/recognizer/
 * lexicon-bound.ts) loads a private instance of wink-nlp through require.cache, and the
 * model's 3.5 MB of JSON costs less to read from its files than to keep as bundle source.
 */
const { rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
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

/**
 * dist/compiled-schemas.js: every route schema compiled ahead of time (src/http/compile-schemas.ts,
 * read by src/http/schema-compilers.ts), bundled with the ajv and fast-json-stringify helpers
 * its code requires. Saves each cold start loading those compilers and running them.
 */
async function compileSchemas() {
  const generator = 'dist/.compile-schemas.js';
  const source = 'dist/.compiled-schemas.source.js';
  try {
    await esbuild.build({ ...BUNDLE_OPTIONS, sourcemap: false, entryPoints: ['src/http/compile-schemas.ts'], outfile: generator });
    writeFileSync(source, await require(path.resolve(generator)).compiledSchemasSource());
    return await esbuild.build({ ...BUNDLE_OPTIONS, sourcemap: false, entryPoints: [source], outfile: 'dist/compiled-schemas.js' });
  } finally {
    rmSync(generator, { force: true });
    rmSync(source, { force: true });
  }
}

if (require.main === module) {
  rmSync('dist', { recursive: true, force: true });
  Promise.all([esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: ['src/main.ts', 'src/migrate.ts'], outdir: 'dist' }), compileSchemas()]).then((results) => {
    // A warning here means a require the bundle cannot honour at run time: fail the build.
    if (results.some((result) => result.warnings.length > 0)) process.exit(1);
  }, (error) => {
    console.error(error);
    process.exit(1);
  });
}
