// The burst panel's script, served as /burst.js (no inline script: the page's CSP allows 'self' only).
const panel = document.getElementById('burst')
const button = document.getElementById('burst-fire')
const size = Number(panel.dataset.size)

const post = (path) => fetch(path, { method: 'POST', credentials: 'same-origin' })

async function fire(path) {
  const answers = await Promise.all(Array.from({ length: size }, () => post(path)))
  const failed = answers.filter((r) => !r.ok).length
  if (failed) throw new Error(`${failed} of ${size} requests to ${path} failed`)
}

function show(id, count, total) {
  const out = document.getElementById(id)
  const lost = total - count
  out.dataset.count = String(count)
  out.classList.toggle('lost', lost > 0)
  out.querySelector('.count').textContent = `${count} of ${total}`
  out.querySelector('.loss').textContent = lost > 0 ? `${lost} lost` : 'none lost'
}

button.addEventListener('click', async () => {
  button.disabled = true
  panel.dataset.state = 'running'
  document.getElementById('burst-status').textContent = `Sending ${size} + ${size} requests…`
  try {
    const reset = await post('/burst/reset')
    if (!reset.ok) throw new Error(`reset failed (${reset.status})`)
    const started = performance.now()
    await fire('/burst/locked')
    await fire('/burst/unlocked')
    const ms = Math.round(performance.now() - started)
    const counts = await (await fetch('/burst/counts')).json()
    show('burst-locked', counts.locked, counts.size)
    show('burst-unlocked', counts.unlocked, counts.size)
    document.getElementById('burst-status').textContent = `Done in ${ms} ms.`
    panel.dataset.state = 'done'
  } catch (error) {
    document.getElementById('burst-status').textContent = `Error: ${error.message}`
    panel.dataset.state = 'error'
  } finally {
    button.disabled = false
  }
})
