import type { RouteOptions } from 'fastify';
import type { TestApi } from './test-app';

export interface Route {
  method: string;
  path: string;
}

/** Collects the routes Fastify registers from now on (call before the app is initialised). */
export function collectRoutes(api: Pick<TestApi, 'app'>): Route[] {
  const out: Route[] = [];
  api.app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (r: RouteOptions) => {
      for (const m of Array.isArray(r.method) ? r.method : [r.method]) out.push({ method: m.toUpperCase(), path: r.url });
    });
  return out;
}

/** Every API route as Fastify registered it, so a route added later is covered without editing a test. */
export function routesOf(api: TestApi): Route[] {
  return api.routes.filter(
    (r) =>
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) &&
      r.path.startsWith('/api') &&
      // The API documentation (OpenAPI, Swagger UI) is public on purpose: it holds no data. Bull Board has its own
      // admin check (health/queue-board.ts).
      !r.path.startsWith('/api/docs') &&
      !r.path.startsWith('/api/admin/queues'),
  );
}
