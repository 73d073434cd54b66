import { json } from '@sveltejs/kit'

export async function POST({ locals }) {
  await locals.authSession.logout()
  return json({ ok: true })
}
