// A Server Component: it reads the sessions (readSession is read-only, as Next.js allows no
// cookies here) and changes them only through the Server Actions of its forms.
import { readSession } from 'latchkey/next'
import { managers } from '../lib/sessions.js'
import { increment, logOut } from './actions.js'
import { LoginForm } from './login-form.js'

export default async function Home() {
  const { sessions, auth } = await managers()
  const session = await readSession(sessions)
  const n = (await session.get('n')) ?? 0
  const visits = (await session.get('visits')) ?? 0
  const user = await (await readSession(auth)).currentUser()
  return (
    <main>
      <h1>latchkey on Next.js</h1>
      <p>
        Count: <output id="count">{n}</output>
      </p>
      <p>
        Visits, counted by proxy.js: <output id="visits">{visits}</output>
      </p>
      <form action={increment}>
        <button type="submit">Increment</button>
      </form>
      {user ? (
        <form action={logOut}>
          <p id="user">Signed in as {user.id}</p>
          <button type="submit">Log out</button>
        </form>
      ) : (
        <LoginForm />
      )}
    </main>
  )
}
