import { requireLogin } from 'latchkey/next'
import { auth } from '../../lib/sessions.js'

export default async function Unauthorized() {
  const user = await requireLogin(auth)
  return <p id="user">{user.id}</p>
}
