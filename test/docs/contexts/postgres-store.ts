// docs/postgres.md: the store of the app at the top of the page.
import type { PostgresStore } from 'latchkey/stores/postgres'

export declare const store: PostgresStore
