import { handleSessionError, latchkey } from 'latchkey/sveltekit'
import { auth, sessions } from '$lib/server/sessions.js'

export const handle = latchkey(sessions, auth)
// A lock timeout or a store outage escaping a route answers 503 with Retry-After.
export const handleError = handleSessionError
