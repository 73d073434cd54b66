import { json } from '@sveltejs/kit'
import { checkLogin } from '../../../../shared/account.js'

export async function POST({ locals, request }) {
  const user = checkLogin(await request.json().catch(() => undefined))
  if (!user) return json({ error: 'wrong user or password' }, { status: 401 })
  await locals.authSession.login(user) // a new session id: no fixation
  return json({ user: user.id })
}
