import { readSession } from 'latchkey/next'
import { sessions } from '../../lib/sessions.js'

/** A Server Component that tries to write through readSession(): the error is shown. */
export default async function ReadOnlyWrite() {
  const session = await readSession(sessions)
  try {
    await session.set('n', 1)
    return <p id="outcome">written</p>
  } catch (error) {
    return <p id="outcome">{`${error.code}: ${error.message}`}</p>
  }
}
