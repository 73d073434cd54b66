// The matrix's SvelteKit app, built by test/adapters/apps/sveltekit.ts into a temporary
// directory (LATCHKEY_KIT_OUT) and served by SvelteKit's own Server class: no adapter.
/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    outDir: process.env.LATCHKEY_KIT_OUT ?? '.svelte-kit',
    adapter: { name: 'none', adapt() {} },
  },
}
