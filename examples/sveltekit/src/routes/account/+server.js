import { json } from '@sveltejs/kit'
import { loginRequired } from 'latchkey/sveltekit'
import { auth } from '$lib/server/sessions.js'

// Throws SvelteKit's error(401) (JSON for an endpoint) without a login.
const guard = loginRequired(auth)

export async function GET(event) {
  await guard(event)
  return json({ user: (await event.locals.authSession.currentUser()).id })
}
