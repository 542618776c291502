import { AsyncLocalStorage, AsyncResource, createHook } from 'node:async_hooks';
import { installAsyncResourceBind } from './async-resource-bind';

describe('AsyncResource.bind without the deprecated property (Nest binds every interceptor with it)', () => {
  const hasProperty = (f: unknown) => Object.prototype.hasOwnProperty.call(f, 'asyncResource');
  const nativeHasProperty = hasProperty(AsyncResource.bind(() => 1));
  const installed = installAsyncResourceBind();

  it('is installed where the runtime builds the deprecated property (Node 20 here), and then builds none', () => {
    expect(installed).toBe(nativeHasProperty);
    expect(hasProperty(AsyncResource.bind(() => 1))).toBe(false);
    expect(hasProperty(new AsyncResource('r').bind(() => 1))).toBe(false);
  });

  it('runs the function in the async context it was bound in, not the caller’s', async () => {
    const als = new AsyncLocalStorage<string>();
    const bound = als.run('bound here', () => AsyncResource.bind(() => als.getStore()));
    expect(als.run('called here', () => bound())).toBe('bound here');
    // Later, from a timer outside any context, as an rxjs `defer` would call it.
    const later = await new Promise((resolve) => setTimeout(() => resolve(bound()), 1));
    expect(later).toBe('bound here');
  });

  it('passes the caller’s this, or the given thisArg, the arguments and the return value, and keeps length', () => {
    type F = (this: unknown, a: number, b: number) => number;
    const f: F = function (this: unknown, a: number, b: number) {
      return ((this as { k?: number } | undefined)?.k ?? 0) + a + b;
    };
    const plain = AsyncResource.bind(f);
    expect(plain.call({ k: 100 }, 1, 2)).toBe(103);
    expect(AsyncResource.bind(f, 'type', { k: 10 }).call(undefined, 1, 2)).toBe(13);
    const resource = new AsyncResource('r') as unknown as { bind(fn: F, thisArg: unknown): F };
    expect(resource.bind(f, { k: 1000 }).call(undefined, 1, 2)).toBe(1003);
    // Middleware arity checks (fn.length === 4 for error handlers) still see the original.
    expect(plain.length).toBe(2);
    expect(() => AsyncResource.bind('nope' as unknown as () => void)).toThrow(TypeError);
  });

  it('creates one async resource per bind, as before, so async hooks see the same resources', () => {
    const types: string[] = [];
    const hook = createHook({ init: (_id, type) => types.push(type) }).enable();
    try {
      AsyncResource.bind(function named() {});
      AsyncResource.bind(() => undefined, 'custom');
    } finally {
      hook.disable();
    }
    expect(types).toEqual(['named', 'custom']);
  });
});
