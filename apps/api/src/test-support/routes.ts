import type { TestApi } from './test-app';

export interface Route {
  method: string;
  path: string;
}

/** Every API route as the Express router holds it, so a route added later is covered without editing a test. */
export function routesOf(api: TestApi): Route[] {
  const instance = api.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const out: Route[] = [];
  for (const layer of instance.router.stack) {
    // The API documentation (OpenAPI, Swagger UI) is public on purpose: it holds no data.
    if (!layer.route || !layer.route.path.startsWith('/api') || layer.route.path.startsWith('/api/docs')) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m));
    // Middleware mounted for every method (`_all`, or one entry per method) is not an endpoint.
    if (layer.route.methods._all || methods.length > 3) continue;
    for (const m of methods) out.push({ method: m.toUpperCase(), path: layer.route.path });
  }
  return out;
}
