import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const lib = (rel: string) => fileURLToPath(new URL(`../../libs/${rel}`, import.meta.url));
const api = 'http://localhost:3000';

// The NestJS API serves dist/ at "/" with SPA fallback, so the app always talks
// to its own origin; in dev the same relative URLs are proxied to the API.
const proxy = {
  '/api': { target: api, changeOrigin: true },
  '/socket.io': { target: api, changeOrigin: true, ws: true },
};

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@frontdesk/contracts': lib('contracts/src/index.ts'),
      '@frontdesk/domain': lib('domain/src/index.ts'),
      '@frontdesk/ui': lib('ui/src/index.ts'),
    },
  },
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 700 },
});
