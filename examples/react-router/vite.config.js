import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  // latchkey is this repository itself: left for Node to resolve from the built server at run time.
  ssr: { external: ['latchkey'] },
  plugins: [reactRouter()],
})
