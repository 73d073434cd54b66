'use server'
import { withSession } from 'latchkey/next'
import { auth, sessions } from '../lib/sessions.js'

export async function increment() {
  return withSession(sessions, (session) =>
    session.withLock((s) => {
      s.set('n', (s.get('n') ?? 0) + 1)
      return s.get('n')
    }),
  )
}

/** Takes the lock, never gives it back itself, and throws: withSession must release it. */
export async function lockAndThrow() {
  await withSession(sessions, async (session) => {
    const s = await session.lock()
    s.set('n', -1)
    throw new Error('the action failed')
  })
}

export async function logIn() {
  await withSession(auth, (session) => session.login({ id: 'alice' }))
}
