/**
 * Kiosks and wall screens stay open for days. After a deploy their page still
 * points at the previous build's chunk names, which no longer exist; Vite then
 * fires `vite:preloadError`. Reloading picks up the new build. A timestamp in
 * sessionStorage stops a reload loop if the server is really broken.
 */
const KEY = 'frontdesk.reloadedForStaleBuildAt';
const MIN_INTERVAL_MS = 30_000;

export function reloadOnceForStaleBuild(): boolean {
  try {
    const last = Number(window.sessionStorage.getItem(KEY) ?? 0);
    if (Date.now() - last < MIN_INTERVAL_MS) {
      return false;
    }
    window.sessionStorage.setItem(KEY, String(Date.now()));
  } catch {
    // No storage: reload anyway; the browser's own back-off applies.
  }
  window.location.reload();
  return true;
}

export function installStaleBuildRecovery(): void {
  window.addEventListener('vite:preloadError', (event) => {
    if (reloadOnceForStaleBuild()) {
      event.preventDefault();
    }
  });
}

export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return /preload CSS|dynamically imported module|Importing a module script failed|ChunkLoadError/i.test(message);
}
