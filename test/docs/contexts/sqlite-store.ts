// docs/sqlite.md: the store of the app at the top of the page.
import type { SQLiteStore } from 'latchkey/stores/sqlite'

export declare const store: SQLiteStore
