import adapter from '@sveltejs/adapter-node'

/** @type {import('@sveltejs/kit').Config} */
export default {
  // Precompressed assets only slow the build of an app of five endpoints.
  kit: { adapter: adapter({ precompress: false }) },
}
