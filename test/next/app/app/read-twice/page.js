import { readSession } from 'latchkey/next'
import { sessions } from '../../lib/sessions.js'

/** Two readers of one request's session, as a layout and its page are: they share one view. */
export default async function ReadTwice() {
  const first = await readSession(sessions)
  const second = await readSession(sessions)
  return <p id="outcome">{first === second ? 'one view' : 'two views'}</p>
}
