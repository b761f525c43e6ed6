// Vite config for the browser app (npm start / npm run build). Tests use vitest.config.ts.
// index.html carries a strict Content-Security-Policy; the dev server alone drops it,
// because React's hot reload injects an inline script there. Built pages keep it.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

function noPolicyInDev(): Plugin {
  return {
    name: 'risotto-no-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export default defineConfig({
  plugins: [react(), noPolicyInDev()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173 },
  preview: { port: 5173 },
});
