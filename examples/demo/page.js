const escapeHtml = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )

/** The demo's HTML page. */
export function page({ visits, data, id, options }) {
  const attributes = [
    `HttpOnly: ${options.httpOnly}`,
    `Secure: ${options.secure}`,
    `SameSite: ${options.sameSite}`,
    `Path: ${options.path}`,
    `Domain: ${options.domain ?? '(host only)'}`,
    `Persistent: ${options.persistent}`,
  ]
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>latchkey demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:4px}</style>
</head>
<body>
<h1>latchkey demo</h1>
<p>You have visited this page <strong id="visits">${visits}</strong> time${visits === 1 ? '' : 's'}.
Each visit is counted with a locked read-modify-write, so parallel requests never lose one.</p>
<h2>What the session holds</h2>
<pre id="data">${escapeHtml(JSON.stringify(data, null, 2))}</pre>
<p>Session id (hashed before it reaches the store): <code>${escapeHtml(id ? `${id.slice(0, 6)}…` : '(new)')}</code></p>
<h2>The cookie</h2>
<p>Cookie <code>${escapeHtml(options.name)}</code>: ${attributes.map((a) => `<code>${escapeHtml(a)}</code>`).join(' ')}</p>
<form method="post" action="/reset"><button type="submit">Forget me (destroy the session)</button></form>
</body>
</html>`
}
