import mysql from 'mysql2/promise'
import type { MySQLConnection } from '../support/mysql-server.js'

export { newKey, recordOf } from '../postgres/fixtures.js'

/** A `mysql2/promise` pool on the test server, as an application would make it. */
export function poolOn(connection: MySQLConnection, max: number): mysql.Pool {
  return mysql.createPool({ ...connection, connectionLimit: max, connectTimeout: 2000 })
}
