import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/*
 * The back-office console: served under /console/ by `npm start` (local/console.ts) and by CloudFront on
 * AWS (lib/stacks/console-stack.ts), calling the API on the same origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  logLevel: 'warn',
});
