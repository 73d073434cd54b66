/**
 * The in-memory store: `import { MemoryStore } from 'latchkey/stores/memory'`.
 * @module
 */
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js'
