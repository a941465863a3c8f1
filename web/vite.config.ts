// The storefront's dev server and build. Vite 8 compiles TSX itself (Oxc, React's automatic JSX
// runtime): no React plugin, so no Fast Refresh; an edit reloads the page.
import { defineConfig } from 'vite';

export default defineConfig({
  // The port PASSWORD_RESET_URL points at (http://localhost:5173/reset-password); loopback only.
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" (for React Server Components): meaningless in an SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        warn(warning);
      },
    },
  },
});
