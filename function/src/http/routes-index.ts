/**
 * Remembers which methods each registered path accepts, so an unknown method on a known
 * path answers 405 with `Allow` (Fastify itself answers 404 for both).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

interface KnownRoute {
  pattern: RegExp;
  methods: Set<string>;
}

export class RouteIndex {
  private readonly routes = new Map<string, KnownRoute>();

  /** Records every route registered on `app` from now on, its plugins' routes included. */
  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route: RouteOptions) => this.add(route.url, route.method));
  }

  add(url: string, method: string | readonly string[]): void {
    const known = this.routes.get(url) ?? { pattern: toPattern(url), methods: new Set<string>() };
    for (const name of typeof method === 'string' ? [method] : method) known.methods.add(name.toUpperCase());
    this.routes.set(url, known);
  }

  /** Methods accepted on `path`, or an empty list when no route has this path. */
  allowedMethods(path: string): string[] {
    const allowed = new Set<string>();
    for (const route of this.routes.values()) {
      if (route.pattern.test(path)) for (const method of route.methods) allowed.add(method);
    }
    return [...allowed].sort();
  }
}

/** `/entities/:request_id` -> /^\/entities\/[^/]+\/?$/ (find-my-way's parametric segments). */
function toPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
