/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )

const when = (date) => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`

function layout(title, user, body) {
  const status = user
    ? `Signed in as <strong id="who">${escapeHtml(user.name)}</strong> ·
<form method="post" action="/logout" class="inline"><button type="submit" id="logout">Log out</button></form>`
    : `Not signed in · <a href="/login" id="login-link">Log in</a>`
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · latchkey demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:4px}
nav{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ddd;padding-bottom:.5rem}.inline{display:inline}
table{border-collapse:collapse}td,th{border-bottom:1px solid #eee;padding:.3rem .6rem;text-align:left}.error{color:#a00}</style>
</head>
<body>
<nav><a href="/">Home</a><a href="/account">Account</a><a href="/account/sessions">Your sessions</a><span>${status}</span></nav>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`
}

/** The home page: the visit counter of the plain session. */
export function homePage({ visits, data, id, options, user }) {
  const attributes = [
    `HttpOnly: ${options.httpOnly}`,
    `Secure: ${options.secure}`,
    `SameSite: ${options.sameSite}`,
    `Path: ${options.path}`,
    `Domain: ${options.domain ?? '(host only)'}`,
    `Persistent: ${options.persistent}`,
  ]
  return layout(
    'latchkey demo',
    user,
    `<p>You have visited this page <strong id="visits">${visits}</strong> time${visits === 1 ? '' : 's'}.
Each visit is counted with a locked read-modify-write, so parallel requests never lose one.</p>
<h2>What the session holds</h2>
<pre id="data">${escapeHtml(JSON.stringify(data, null, 2))}</pre>
<p>Session id (hashed before it reaches the store): <code>${escapeHtml(id ? `${id.slice(0, 6)}…` : '(new)')}</code></p>
<h2>The cookie</h2>
<p>Cookie <code>${escapeHtml(options.name)}</code>: ${attributes.map((a) => `<code>${escapeHtml(a)}</code>`).join(' ')}</p>
<form method="post" action="/reset"><button type="submit">Forget me (destroy the session)</button></form>
<h2>Login</h2>
<p>Logging in uses a second manager, <code>AuthSessions</code>, with its own cookie. The
<a href="/account">account page</a> is behind <code>loginRequired</code>.</p>`,
  )
}

/** The login form; the demo account's credentials are shown on it. */
export function loginPage({ next, error, account, username = '' }) {
  return layout(
    'Log in',
    undefined,
    `${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
<p>Demo account: user <code>${escapeHtml(account.username)}</code>, password <code>${escapeHtml(account.password)}</code>.</p>
<form method="post" action="/login" id="login-form">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<p><label>User <input name="username" value="${escapeHtml(username)}" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><label><input type="checkbox" name="remember"> Keep me logged in on this device</label></p>
<p><button type="submit">Log in</button></p>
</form>`,
  )
}

/** The protected page. */
export function accountPage({ user, createdAt }) {
  return layout(
    'Your account',
    user,
    `<p id="protected">Only logged-in users see this page. Welcome, ${escapeHtml(user.name)}.</p>
<p>Logged in since ${escapeHtml(createdAt ? when(createdAt) : 'now')}.</p>
<p><a href="/account/sessions">See the devices logged in to this account</a></p>`,
  )
}

/** The list of the user's sessions, with "log out everywhere else". */
export function sessionsPage({ user, sessions, ended }) {
  const rows = sessions
    .map(
      (s) => `<tr class="session${s.current ? ' current' : ''}">
<td>${escapeHtml(s.userAgent ?? '(unknown browser)')}${s.current ? ' <strong>(this device)</strong>' : ''}</td>
<td>${escapeHtml(when(s.createdAt))}</td><td>${escapeHtml(when(s.lastSeenAt))}</td></tr>`,
    )
    .join('\n')
  const others = sessions.filter((s) => !s.current).length
  return layout(
    'Your sessions',
    user,
    `${ended === undefined ? '' : `<p id="ended">Logged out ${escapeHtml(ended)} other session${ended === 1 ? '' : 's'}.</p>`}
<table id="sessions"><thead><tr><th>Browser</th><th>Logged in</th><th>Last seen</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<form method="post" action="/account/sessions/logout-others">
<button type="submit" id="logout-others"${others === 0 ? ' disabled' : ''}>Log out everywhere else (${others})</button>
</form>`,
  )
}
