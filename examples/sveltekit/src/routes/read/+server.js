import { json } from '@sveltejs/kit'

export async function GET({ locals }) {
  return json({ n: (await locals.session.get('n')) ?? 0 })
}
