import mysql from 'mysql2/promise'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { describeWithMySQL, startMySQL } from '../support/mysql-server.js'
import { cliScenario } from './scenario.js'

cliScenario({
  name: 'MariaDB',
  describe: describeWithMySQL,
  keepsExpired: true,
  async start() {
    const server = await startMySQL()
    const { host, port, user, password, database } = server.connection
    const pool = mysql.createPool({ ...server.connection, connectionLimit: 4 })
    const store = new MySQLStore({ client: pool, sweepInterval: 0 })
    await store.migrate()
    return {
      url: `mariadb://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
      naming: [],
      store,
      async close() {
        await store.close()
        await pool.end()
        await server.stop()
      },
    }
  },
})
