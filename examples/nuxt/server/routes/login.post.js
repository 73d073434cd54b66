import { checkLogin } from '../../../shared/account.js'

export default defineEventHandler(async (event) => {
  const user = checkLogin(await readBody(event).catch(() => undefined))
  if (!user) {
    setResponseStatus(event, 401)
    return { error: 'wrong user or password' }
  }
  await event.context.authSession.login(user) // a new session id: no fixation
  return { user: user.id }
})
