import { PostgresStore } from '../../src/stores/postgres/index.js'
import { poolOn } from '../sql/postgres-target.js'
import { describeWithPostgres, startPostgres } from '../support/postgres-server.js'
import { cliScenario } from './scenario.js'

cliScenario({
  name: 'PostgreSQL',
  describe: describeWithPostgres,
  keepsExpired: true,
  async start() {
    const server = await startPostgres()
    const { host, port, user, database } = server.connection
    const pool = poolOn(server.connection, 4)
    await pool.query('CREATE SCHEMA app')
    const store = new PostgresStore({
      client: pool,
      schema: 'app',
      table: 'app_sessions',
      sweepInterval: 0,
    })
    await store.migrate()
    return {
      url: `postgres://${user}@${host}:${port}/${database}`,
      naming: ['--schema', 'app', '--table', 'app_sessions'],
      store,
      async close() {
        await store.close()
        await pool.end()
        await server.stop()
      },
    }
  },
})
