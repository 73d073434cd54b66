'use server'
// Server Actions: withSession() saves, unlocks and sets the cookie once each settles.
import { withSession } from 'latchkey/next'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { checkLogin } from '../../shared/account.js'
import { managers } from '../lib/sessions.js'

export async function increment() {
  const { sessions } = await managers()
  await withSession(sessions, (session) =>
    session.withLock((s) => {
      s.set('n', (s.get('n') ?? 0) + 1)
    }),
  )
  revalidatePath('/')
}

export async function logIn(_state, form) {
  const { auth } = await managers()
  const user = checkLogin({ user: form.get('user'), password: form.get('password') })
  if (!user) return { error: 'Wrong user or password.' }
  await withSession(auth, async (session) => {
    await session.login(user) // a new session id: no fixation
    // redirect() throws; withSession still saves the login and sets its cookie first.
    redirect('/me')
  })
}

export async function logOut() {
  const { auth } = await managers()
  await withSession(auth, (session) => session.logout())
  redirect('/')
}
