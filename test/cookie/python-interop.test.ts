import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encryptFromParts, Fernet, generateKey } from '../../src/crypto/fernet.js'
import { CookieStore } from '../../src/stores/cookie/index.js'

const PYTHON = process.env.PYTHON ?? 'python3'
const hasPython =
  spawnSync(PYTHON, ['-c', 'import cryptography.fernet'], { stdio: 'ignore' }).status === 0
const SKIPPED =
  'Python interop skipped: python3 with the `cryptography` module was not found ' +
  '(pip install cryptography, or apt-get install python3-cryptography; PYTHON=/path/to/python to choose one). ' +
  'Optional: this suite skips in CI too.'
if (!hasPython) console.warn(SKIPPED)

/** Runs a Python snippet that reads JSON on stdin and prints JSON. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

const PRELUDE = `
import json, sys, time
from cryptography.fernet import Fernet, MultiFernet, InvalidToken
args = json.load(sys.stdin)
`

describe.skipIf(!hasPython)('tokens interchange with Python cryptography.fernet', () => {
  it('Python decrypts what we encrypt, with a ttl', () => {
    const key = generateKey()
    const messages = ['', 'hello', 'é✓ unicode', 'x'.repeat(1000)]
    const tokens = messages.map((message) => new Fernet(key).encrypt(message))
    const decrypted = python<string[]>(
      `${PRELUDE}f = Fernet(args['key'].encode())
print(json.dumps([f.decrypt(t.encode(), ttl=60).decode() for t in args['tokens']]))`,
      { key, tokens },
    )
    expect(decrypted).toEqual(messages)
  })

  it('we decrypt what Python encrypts, with a key from Fernet.generate_key()', () => {
    const { key, tokens } = python<{ key: string; tokens: string[] }>(
      `${PRELUDE}key = Fernet.generate_key()
f = Fernet(key)
print(json.dumps({'key': key.decode(), 'tokens': [f.encrypt(m.encode()).decode() for m in args]}))`,
      ['', 'from python', 'é✓'],
    )
    const fernet = new Fernet(key)
    expect(tokens.map((token) => fernet.decrypt(token, { ttl: 60 })?.plaintext.toString())).toEqual(
      ['', 'from python', 'é✓'],
    )
  })

  it('key rotation agrees with MultiFernet both ways', () => {
    const [current, previous] = [generateKey(), generateKey()]
    const ours = new Fernet(previous).encrypt('old')
    const theirs = python<{ rotated: string; old: string }>(
      `${PRELUDE}m = MultiFernet([Fernet(args['current'].encode()), Fernet(args['previous'].encode())])
print(json.dumps({'rotated': m.rotate(args['ours'].encode()).decode(),
                  'old': Fernet(args['previous'].encode()).encrypt(b'theirs').decode()}))`,
      { current, previous, ours },
    )
    const rotated = new Fernet([current, previous])
    expect(rotated.decrypt(theirs.rotated)).toMatchObject({ keyIndex: 0 })
    expect(rotated.decrypt(theirs.rotated)?.plaintext.toString()).toBe('old')
    expect(rotated.decrypt(theirs.old)).toMatchObject({ keyIndex: 1 })
  })

  it('Python judges age, skew and key as we do', () => {
    const key = generateKey()
    const now = Math.floor(Date.now() / 1000)
    const at = (seconds: number) =>
      encryptFromParts(key, Buffer.from('dated'), seconds, randomBytes(16))
    const cases = [
      { token: new Fernet(generateKey()).encrypt('foreign'), ttl: 60 },
      { token: at(now - 120), ttl: 60 },
      { token: at(now - 120), ttl: null },
      { token: at(now + 120), ttl: 60 },
      { token: at(now + 30), ttl: 60 },
    ]
    const theirs = python<boolean[]>(
      `${PRELUDE}f = Fernet(args['key'].encode())
out = []
for case in args['cases']:
    try:
        f.decrypt(case['token'].encode(), ttl=case['ttl']); out.append(True)
    except InvalidToken:
        out.append(False)
print(json.dumps(out))`,
      { key, cases },
    )
    const fernet = new Fernet(key)
    const ours = cases.map(
      ({ token, ttl }) => fernet.decrypt(token, ttl === null ? {} : { ttl }) !== undefined,
    )
    expect(theirs).toEqual([false, false, true, false, true])
    expect(ours).toEqual(theirs)
  })

  it('a CookieStore cookie is a Fernet token of the compact session record, both ways', () => {
    const key = generateKey()
    const store = new CookieStore({ keys: key })
    const now = Date.now()
    const record = {
      data: { cart: ['apple'], user: 'ada' },
      createdAt: now - 5000,
      lastSeenAt: now,
      expiresAt: now + 3_600_000,
      id: 'p'.repeat(43),
    }
    const cookie = store.seal(record)
    const { read, sealed } = python<{ read: unknown; sealed: string }>(
      `${PRELUDE}f = Fernet(args['key'].encode())
data, id, last_seen, age, idle = json.loads(f.decrypt(args['cookie'].encode(), ttl=3600))
data['from'] = 'python'
print(json.dumps({'read': [data, id, last_seen, age, idle],
                  'sealed': f.encrypt(json.dumps([data, id, 0, 0, 3600]).encode()).decode()}))`,
      { key, cookie },
    )
    const ours = new Fernet(key).decrypt(cookie)?.timestamp ?? 0
    const data = { ...record.data, from: 'python' }
    expect(read).toEqual([data, record.id, now - ours * 1000, 5000, 3600])
    // Python's record is dated by its own token: sealed now, created now, one hour to live.
    const theirs = (new Fernet(key).decrypt(sealed)?.timestamp ?? 0) * 1000
    expect(store.unseal(sealed, 3600)?.record).toEqual({
      data,
      id: record.id,
      createdAt: theirs,
      lastSeenAt: theirs,
      expiresAt: theirs + 3_600_000,
    })
  })
})
