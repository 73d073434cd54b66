export async function load({ locals }) {
  return { n: (await locals.session.get('n')) ?? 0 }
}

export const actions = {
  inc: async ({ locals }) => {
    await locals.session.withLock((s) => s.set('n', (s.get('n') ?? 0) + 1))
  },
}
