// Every server route, and the pages Nuxt renders, get event.context.session and .authSession.
import { latchkeyNitro } from 'latchkey/h3'
import { auth, sessions, storeLabel } from '../utils/sessions.js'

export default defineNitroPlugin((nitroApp) => {
  latchkeyNitro(sessions, auth)(nitroApp)
  console.log(`latchkey on Nuxt, ${storeLabel}`)
})
