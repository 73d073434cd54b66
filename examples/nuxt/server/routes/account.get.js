import { loginRequired } from 'latchkey/h3'
import { auth } from '../utils/sessions.js'

export default defineEventHandler({
  onRequest: [loginRequired(auth)],
  handler: async (event) => ({ user: (await event.context.authSession.currentUser()).id }),
})
