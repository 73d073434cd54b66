// A Nuxt app's nuxt.config.ts: what Nuxt auto-imports there (`defineNuxtConfig`), typed for
// the options docs/frameworks.md sets.
export declare function defineNuxtConfig(config: {
  nitro?: {
    esbuild?: { options?: { target?: string } }
    externals?: { traceInclude?: string[] }
  }
}): unknown
