// docs/frameworks.md, typed managers: a Fastify app with latchkey's imports.
export { default as Fastify } from 'fastify'
export { AuthSessions, Sessions } from 'latchkey'
export { latchkey } from 'latchkey/fastify'
export { MemoryStore } from 'latchkey/stores/memory'
