import { fileURLToPath } from 'node:url'

/** @type {import('next').NextConfig} */
export default {
  // The repository root holds node_modules (and `latchkey` itself, linked).
  turbopack: { root: fileURLToPath(new URL('../../', import.meta.url)) },
}
