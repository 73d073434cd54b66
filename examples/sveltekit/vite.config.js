import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [sveltekit()],
  // latchkey is linked (build.js), which Vite would bundle: imported at run time
  // instead, it is the one copy that the app and examples/shared/store.js share.
  ssr: { external: ['latchkey'] },
})
