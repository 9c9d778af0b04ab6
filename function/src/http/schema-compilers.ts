/**
 * Fastify's schema compilers, with the route schemas compiled ahead of time: `npm run build`
 * writes `dist/compiled-schemas.js` (compile-schemas.ts, through Fastify's standalone mode of
 * @fastify/ajv-compiler and fast-json-stringify), so a cold start neither loads ajv and
 * fast-json-stringify nor generates and compiles their code: about 40 ms of CPU.
 *
 * Each compiled function is found by its schema and compiler options, exactly; any other schema
 * (a MAX_TEXT_CHARS or MAX_BATCH_ITEMS other than the defaults, a changed schema, or no build) is
 * compiled as Fastify always compiles it. Fastify counts these as custom compilers, which changes
 * one thing: a `headers` schema's property names are not lower-cased for them. No route has one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { FUNCTION_DIR } from '../paths';

export const COMPILED_SCHEMAS_FILE = path.join(FUNCTION_DIR, 'dist', 'compiled-schemas.js');

type Validate = (data: unknown) => boolean;
type Serialize = (data: unknown) => string;

/** What dist/compiled-schemas.js exports: functions by `schemaKey`. */
export interface CompiledSchemas {
  validators: Record<string, Validate>;
  serializers: Record<string, Serialize>;
}

/** A route schema's identity for the compiled file: the schema, the shared schemas and the compiler's options. */
export function schemaKey(schema: unknown, externalSchemas: unknown, options: unknown): string {
  return JSON.stringify([schema, externalSchemas ?? null, options ?? null]);
}

export function loadCompiledSchemas(file = COMPILED_SCHEMAS_FILE): CompiledSchemas | undefined {
  return existsSync(file) ? (require(file) as CompiledSchemas) : undefined;
}

/** Fastify's `schemaController.compilersFactory`. */
export type SchemaCompilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
interface RouteSchema {
  schema: unknown;
}

/** The `schemaController.compilersFactory` for Fastify: compiled functions first, else Fastify's own compilers. */
export function schemaCompilers(compiled: CompiledSchemas | undefined = loadCompiledSchemas()): SchemaCompilers {
  return {
    buildValidator(externalSchemas: unknown, ajvOptions: { customOptions?: unknown }) {
      let fallback: ((route: RouteSchema) => Validate) | undefined;
      return (route: RouteSchema) => {
        const found = compiled?.validators[schemaKey(route.schema, externalSchemas, ajvOptions?.customOptions)];
        if (found) return found;
        // Required here, not on top: loading ajv is much of what the compiled file saves.
        const { default: ajvCompiler } = require('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler');
        fallback ??= ajvCompiler()(externalSchemas as never, ajvOptions as never) as unknown as (route: RouteSchema) => Validate;
        return fallback(route);
      };
    },
    buildSerializer(externalSchemas: unknown, serializerOptions: unknown) {
      let fallback: ((route: RouteSchema) => Serialize) | undefined;
      return (route: RouteSchema) => {
        const found = compiled?.serializers[schemaKey(route.schema, externalSchemas, serializerOptions)];
        if (found) return found;
        const { SerializerSelector } = require('@fastify/fast-json-stringify-compiler') as typeof import('@fastify/fast-json-stringify-compiler');
        fallback ??= SerializerSelector()(externalSchemas as never, serializerOptions as never) as unknown as (route: RouteSchema) => Serialize;
        return fallback(route);
      };
    },
  } as unknown as SchemaCompilers;
}
