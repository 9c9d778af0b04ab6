/**
 * Where the function's data folders are. This module sits directly in src/, so `__dirname`
 * is function/src (tests, via tsx) or function/dist (the bundled `dist/main.js` and
 * `dist/migrate.js`, in which every module shares the bundle's folder): one level up is the
 * function's folder either way. Modules in sub-folders take their paths from here.
 */
import path from 'node:path';

export const FUNCTION_DIR = path.resolve(__dirname, '..');

/** The trained sequence model shipped with the function (NER_MODEL_PATH overrides it). */
export const BUNDLED_NER_MODEL_PATH = path.join(FUNCTION_DIR, 'models', 'ner-wnut17.bin');

/** The SQL migrations node-pg-migrate applies. */
export const MIGRATIONS_DIR = path.join(FUNCTION_DIR, 'migrations');
