// docs/stores.md: the store under test, yours.
import type { SessionStore } from 'latchkey'

export declare const MyStore: new () => SessionStore
