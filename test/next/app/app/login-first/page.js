import { requireLogin } from 'latchkey/next'
import { auth } from '../../lib/sessions.js'

export default async function LoginFirst() {
  const user = await requireLogin(auth, { redirectTo: '/login', returnTo: '/login-first?tab=2' })
  return <p id="user">{user.id}</p>
}
