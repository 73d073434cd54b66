// `npm run example -- <name>`: builds latchkey (dist/) when src/ is newer, then the
// example's own build step when it has one (examples/<name>/build.js, for frameworks that compile the app),
// then starts examples/<name>/server.js with this environment (PORT, the store's variables).
// LATCHKEY_EXAMPLE_BUILT=1 skips both builds, for a test that built them once already.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const examples = readdirSync(new URL('../examples/', import.meta.url)).filter((name) =>
  existsSync(new URL(`../examples/${name}/server.js`, import.meta.url)),
)
const name = process.argv[2]
if (!name || !examples.includes(name)) {
  console.error(`usage: npm run example -- <name>, where name is one of: ${examples.join(', ')}`)
  process.exit(2)
}

function run(command, args) {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}

/** Whether dist/ is missing or older than a file of src/: a second example started beside a first need not rebuild it. */
function latchkeyStale() {
  const built = `${root}dist/index.js`
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return readdirSync(`${root}src`, { recursive: true }).some(
    (file) => statSync(`${root}src/${file}`).mtimeMs > builtAt,
  )
}

if (process.env.LATCHKEY_EXAMPLE_BUILT !== '1') {
  if (latchkeyStale()) run('npm', ['run', '--silent', 'build'])
  if (existsSync(`${root}examples/${name}/build.js`))
    run(process.execPath, [`examples/${name}/build.js`])
}
const server = spawn(process.execPath, [`examples/${name}/server.js`], {
  cwd: root,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
