import { requireLogin } from 'latchkey/next'
import { managers } from '../../lib/sessions.js'

export default async function Me() {
  const { auth } = await managers()
  // Without login: a redirect to /?next=%2Fme.
  const user = await requireLogin(auth, { redirectTo: '/', returnTo: '/me' })
  return (
    <main>
      <h1>
        Hello, <span id="me">{user.id}</span>
      </h1>
      <a href="/">Back</a>
    </main>
  )
}
