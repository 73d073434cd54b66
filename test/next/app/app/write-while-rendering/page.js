import { withSession } from 'latchkey/next'
import { sessions } from '../../lib/sessions.js'

/** A Server Component that makes a session with withSession(): Next.js cannot set its cookie here. */
export default async function WriteWhileRendering() {
  try {
    await withSession(sessions, (session) => session.set('n', 1))
    return <p id="outcome">written</p>
  } catch (error) {
    return <p id="outcome">{`${error.code}: ${error.message}`}</p>
  }
}
