import { AsyncResource } from 'node:async_hooks';

type Fn = (...args: unknown[]) => unknown;

/**
 * `AsyncResource.bind` as Node.js now has it, for the Node.js versions that still build its deprecated `asyncResource`
 * property (DEP0172) on every bound function.
 *
 * Nest binds each interceptor's continuation with `AsyncResource.bind` on every request. On Node 20 each call defines
 * two `deprecate()` getters and the function's properties, which is slow and leaves garbage that outlives a scavenge:
 * a Nest app with one trivial interceptor took 0.27–0.33 ms of CPU per request here against 0.21–0.22 ms with this
 * version (docs/benchmarks.md). Node.js changed it upstream (nodejs/node#58218, #59195, and #58618, which removes
 * the property); its own streams and raw-body stopped calling it for the same reason (nodejs/node#59867,
 * stream-utils/raw-body#173).
 *
 * What stays the same: the function runs in the async context of the moment it was bound (a new AsyncResource, as
 * before, so async hooks see the same resources), with the caller's `this` or the given `thisArg`, its arguments,
 * its return value and its `length`. What goes: the deprecated `asyncResource` property. Installed only where the
 * runtime's own bound functions still carry that property.
 */
export function installAsyncResourceBind(): boolean {
  const probe = AsyncResource.bind(() => undefined) as unknown as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(probe, 'asyncResource')) return false;

  function bind(this: AsyncResource, fn: Fn, thisArg?: unknown): Fn {
    if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the resource the bound function runs in
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : function (...args: unknown[]) {
            return resource.runInAsyncScope(fn, thisArg, ...args);
          };
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: fn.length });
    return bound;
  }

  (AsyncResource.prototype as unknown as { bind: typeof bind }).bind = bind;
  (AsyncResource as unknown as { bind: (fn: Fn, type?: string, thisArg?: unknown) => Fn }).bind = (fn: Fn, type?: string, thisArg?: unknown) =>
    bind.call(new AsyncResource(type || fn?.name || 'bound-anonymous-fn'), fn, thisArg);
  return true;
}
