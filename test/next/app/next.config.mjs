import { fileURLToPath } from 'node:url'

/** @type {import('next').NextConfig} */
export default {
  // unauthorized(), which requireLogin() calls without redirectTo.
  experimental: { authInterrupts: true },
  turbopack: { root: fileURLToPath(new URL('../../../', import.meta.url)) },
}
