// docs/mysql.md: the store of the set-up above.
import type { MySQLStore } from 'latchkey/stores/mysql'

export declare const store: MySQLStore
