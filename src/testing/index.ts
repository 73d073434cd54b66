/**
 * The store conformance suite: `import { storeConformance } from 'latchkey/testing'`.
 * Every store, ours and third-party, runs it.
 * @module
 */
export {
  type Capability,
  type ConformanceCase,
  type ConformanceOptions,
  storeConformance,
} from './conformance.js'
