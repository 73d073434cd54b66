import assert from 'node:assert/strict'
import type { SessionStore } from '../core/store.js'
import { basicCases } from './cases/basic.js'
import { type Capability, supports } from './cases/fixtures.js'
import { lockCases } from './cases/lock.js'
import { maintenanceCases } from './cases/maintenance.js'
import { touchCases } from './cases/touch.js'
import { userIndexCases } from './cases/user-index.js'

export type { Capability } from './cases/fixtures.js'

/** One conformance test case. */
export interface ConformanceCase {
  name: string
  /** The capability exercised, if any. */
  capability?: Capability
  /** True when the case exercises a capability the store does not declare: report it as skipped. */
  skip: boolean
  /** Runs the case on a fresh store; throws on failure. */
  run: () => Promise<void>
}

/** How to make the store under test. */
export interface ConformanceOptions {
  /** Makes a store; called once per case. Stores may share a backend (keys never collide). */
  create: () => SessionStore | Promise<SessionStore>
  /** Disposes a store made by `create`. @default calls `store.close()` */
  dispose?: (store: SessionStore) => void | Promise<void>
  /**
   * The optional capabilities the store implements. The suite checks that the
   * store has exactly these methods, and runs their cases.
   */
  capabilities: Partial<Record<Capability, boolean>>
}

const cases = [...basicCases, ...touchCases, ...lockCases, ...userIndexCases, ...maintenanceCases]

const CAPABILITIES: readonly Capability[] = ['touch', 'lock', 'userIndex', 'stats', 'sweep']

/**
 * The store contract as test cases, for every store (ours and third-party).
 * Framework-neutral: each case is a function that throws on failure.
 *
 * @example
 * ```ts
 * import { storeConformance } from 'latchkey/testing'
 * import { describe, it } from 'vitest'
 *
 * describe('MyStore', () => {
 *   const cases = storeConformance({ create: () => new MyStore(), capabilities: { touch: true } })
 *   for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
 * })
 * ```
 */
export function storeConformance(options: ConformanceOptions): ConformanceCase[] {
  const dispose = options.dispose ?? ((store: SessionStore) => store.close?.())
  const declared = (capability: Capability) => options.capabilities[capability] === true
  const withStore = (body: (store: SessionStore) => Promise<void>) => async () => {
    const store = await options.create()
    try {
      await body(store)
    } finally {
      await dispose(store)
    }
  }
  const declaration: ConformanceCase = {
    name: 'declares exactly the capabilities it implements',
    skip: false,
    run: withStore(async (store) => {
      for (const capability of CAPABILITIES) {
        assert.equal(
          supports(store, capability),
          declared(capability),
          `capability "${capability}" declared ${declared(capability)} but implemented ${supports(store, capability)}`,
        )
      }
      assert.equal(typeof store.name, 'string')
    }),
  }
  return [
    declaration,
    ...cases.map(({ name, capability, alsoNeeds = [], body }) => ({
      name,
      ...(capability === undefined ? {} : { capability }),
      skip: [...(capability === undefined ? [] : [capability]), ...alsoNeeds].some(
        (needed) => !declared(needed),
      ),
      run: withStore(body),
    })),
  ]
}
