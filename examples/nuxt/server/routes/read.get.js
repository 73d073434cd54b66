export default defineEventHandler(async (event) => ({
  n: (await event.context.session.get('n')) ?? 0,
}))
