// Each app a test starts is one (handle, handleError, routes, pages) of the test's, made
// with latchkey's src/ there, found by the host the request came to: the built app holds
// no latchkey copy of its own, so its sessions and errors are the test's classes.
const apps = () => globalThis[Symbol.for('latchkey.matrix.sveltekit')] ?? new Map()

/** @param {import('@sveltejs/kit').RequestEvent} event */
export function matrixApp(event) {
  const app = apps().get(event.url.host)
  if (!app) throw new Error(`no matrix app serves ${event.url.host}`)
  return app
}

/** Whether an app serves `/<name>` or `/page/<name>`. */
export function isRoute(name) {
  return [...apps().values()].some((app) => app.routes.has(name) || app.pages?.has(name))
}
