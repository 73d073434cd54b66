export default defineEventHandler(async (event) => {
  await event.context.authSession.logout()
  return { ok: true }
})
