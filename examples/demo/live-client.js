// The live panel's script, served as /live.js: polls /live once a second and plots the last
// minute of lock waits and store calls on two canvases (no library, no inline script).
// A module, so that its names stay out of the burst script's global scope.
const panel = document.getElementById('live')
const POLL_MS = 1000

const styles = getComputedStyle(document.documentElement)
const color = (name, fallback) => styles.getPropertyValue(name).trim() || fallback
const INK = color('--muted', '#5b6576')
const LINE = color('--line', '#dde2ea')
const BAR = color('--brand', '#1f3a5f')
const MARK = color('--accent', '#ffd166')
const BAD = color('--bad', '#b3261e')

/** A round axis top at or above `value`: 1, 2 or 5 times a power of ten. */
function niceCeiling(value) {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 5, 10].map((m) => m * power).find((top) => top >= value)
}

function formatMs(ms) {
  if (ms === 0 || ms >= 10) return `${Math.round(ms)} ms`
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`
}

/**
 * Draws one bar per second (the longest time that second) with a dot for its mean; seconds
 * with an error or a timeout get a red tick under the axis.
 */
function plot(canvas, seconds, { max, mean, failed }) {
  const ratio = window.devicePixelRatio || 1
  const width = canvas.clientWidth
  const height = canvas.clientHeight
  canvas.width = Math.round(width * ratio)
  canvas.height = Math.round(height * ratio)
  const g = canvas.getContext('2d')
  g.scale(ratio, ratio)
  g.clearRect(0, 0, width, height)

  const left = 52
  const bottom = height - 18
  const top = 8
  const plotWidth = width - left - 6
  const ceiling = niceCeiling(Math.max(...seconds.map(max)))
  const y = (ms) => bottom - (ms / ceiling) * (bottom - top)

  g.font = '11px system-ui, sans-serif'
  g.fillStyle = INK
  g.strokeStyle = LINE
  g.lineWidth = 1
  g.textAlign = 'right'
  g.textBaseline = 'middle'
  for (const tick of [0, ceiling / 2, ceiling]) {
    g.beginPath()
    g.moveTo(left, Math.round(y(tick)) + 0.5)
    g.lineTo(left + plotWidth, Math.round(y(tick)) + 0.5)
    g.stroke()
    g.fillText(formatMs(tick), left - 6, y(tick))
  }
  g.textAlign = 'left'
  g.textBaseline = 'alphabetic'
  g.fillText(`${seconds.length} s ago`, left, height - 3)
  g.textAlign = 'right'
  g.fillText('now', left + plotWidth, height - 3)

  const step = plotWidth / seconds.length
  seconds.forEach((second, i) => {
    const x = left + i * step
    const longest = max(second)
    if (longest > 0) {
      g.fillStyle = BAR
      g.fillRect(x + 1, y(longest), Math.max(step - 2, 1), bottom - y(longest))
      g.fillStyle = MARK
      g.fillRect(x + 1, y(mean(second)) - 1, Math.max(step - 2, 1), 3)
    }
    if (failed(second)) {
      g.fillStyle = BAD
      g.fillRect(x + 1, bottom + 2, Math.max(step - 2, 1), 4)
    }
  })
}

function summarize(seconds) {
  const sum = (pick) => seconds.reduce((total, s) => total + pick(s), 0)
  const most = (pick) => seconds.reduce((top, s) => Math.max(top, pick(s)), 0)
  return {
    locks: sum((s) => s.locks),
    queued: sum((s) => s.queued),
    timeouts: sum((s) => s.timeouts),
    maxWaitMs: most((s) => s.lockWaitMaxMs),
    storeCalls: sum((s) => s.storeCalls),
    storeErrors: sum((s) => s.storeErrors),
    maxStoreMs: most((s) => s.storeMaxMs),
  }
}

function show(seconds) {
  plot(document.getElementById('live-locks'), seconds, {
    max: (s) => s.lockWaitMaxMs,
    mean: (s) => s.lockWaitMeanMs,
    failed: (s) => s.timeouts > 0,
  })
  plot(document.getElementById('live-store'), seconds, {
    max: (s) => s.storeMaxMs,
    mean: (s) => s.storeMeanMs,
    failed: (s) => s.storeErrors > 0,
  })
  const total = summarize(seconds)
  for (const [key, value] of Object.entries(total)) panel.dataset[key] = String(value)
  document.getElementById('live-locks-summary').textContent =
    `${total.locks} locks, ${total.queued} queued behind another request, longest wait ${formatMs(total.maxWaitMs)}` +
    (total.timeouts ? `, ${total.timeouts} timed out` : '')
  document.getElementById('live-store-summary').textContent =
    `${total.storeCalls} store calls, slowest ${formatMs(total.maxStoreMs)}` +
    (total.storeErrors ? `, ${total.storeErrors} failed` : '')
  panel.dataset.state = 'live'
}

async function poll() {
  if (document.visibilityState === 'visible') {
    try {
      const answer = await fetch('/live', { credentials: 'same-origin' })
      if (!answer.ok) throw new Error(`status ${answer.status}`)
      show((await answer.json()).seconds)
    } catch (error) {
      panel.dataset.state = 'error'
      document.getElementById('live-locks-summary').textContent = `No numbers: ${error.message}`
    }
  }
  setTimeout(poll, POLL_MS)
}

poll()
