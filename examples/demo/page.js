/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )

const when = (date) => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`

function layout(title, user, body, { lead = '' } = {}) {
  const status = user
    ? `Signed in as <strong id="who">${escapeHtml(user.name)}</strong>
<form method="post" action="/logout" class="inline"><button type="submit" id="logout" class="link">Log out</button></form>`
    : `Not signed in · <a href="/login" id="login-link">Log in</a>`
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · latchkey demo</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="top"><nav><a href="/" class="brand">latchkey</a><a href="/account">Account</a><a href="/account/sessions">Your sessions</a><span class="status">${status}</span></nav></header>
<main>
<h1>${escapeHtml(title)}</h1>
${lead ? `<p class="lead">${lead}</p>` : ''}
${body}
</main>
<footer>latchkey demo · sessions locked per session, ids hashed at rest, cookies HttpOnly, Secure, SameSite=Lax.</footer>
</body>
</html>`
}

/** One panel: the explanation on the left, the working part on the right. */
const panel = (id, heading, explanation, content) => `<section class="panel" id="${id}-panel">
<div class="explain"><h2>${heading}</h2>${explanation}</div>
<div class="demo">${content}</div>
</section>`

/** The home page: the visit counter, the burst panel, the cookie and the login. */
export function homePage({ visits, data, id, options, user, burstSize, burstYieldMs, storeLabel }) {
  const attributes = [
    `HttpOnly: ${options.httpOnly}`,
    `Secure: ${options.secure}`,
    `SameSite: ${options.sameSite}`,
    `Path: ${options.path}`,
    `Domain: ${options.domain ?? '(host only)'}`,
    `Persistent: ${options.persistent}`,
  ]
  const visitsPanel = panel(
    'visits',
    'A counter that never skips',
    `<p>Each page load adds one to <code>visits</code> with a locked read-modify-write:</p>
<pre>await req.session.withLock((s) =&gt; {
  const n = s.get('visits') ?? 0
  s.set('visits', n + 1)
})</pre>
<p>Two tabs reloading at once still count two visits.</p>`,
    `<p class="big"><strong id="visits" class="visits-count">${visits}</strong> <span>visit${visits === 1 ? '' : 's'}</span></p>
<h3>What the session holds</h3>
<pre id="data">${escapeHtml(JSON.stringify(data, null, 2))}</pre>
<p class="small">Session id (hashed before it reaches the store): <code>${escapeHtml(id ? `${id.slice(0, 6)}…` : '(new)')}</code></p>
<form method="post" action="/reset"><button type="submit" class="secondary">Forget me (destroy the session)</button></form>`,
  )
  const burstPanel = panel(
    'burst',
    `${escapeHtml(burstSize)} requests at once`,
    `<p>The button sends ${escapeHtml(burstSize)} parallel <code>POST</code>s, all with your
session cookie, to two routes that do the same thing: read a counter, wait ${escapeHtml(burstYieldMs)} ms as a
handler waiting for its database does, and write the counter plus one.</p>
<p><strong>Locked</strong> does it under <code>req.session.withLock()</code>: the requests
take turns, and every one counts.</p>
<p><strong>Unlocked</strong> does it with plain <code>get</code> and <code>set</code>, without the lock: requests
read the same value, and each write overwrites the one before.</p>`,
    `<div id="burst" data-size="${escapeHtml(burstSize)}" data-state="idle">
<p><button type="button" id="burst-fire" class="primary">Fire ${escapeHtml(burstSize)} parallel requests</button></p>
<div class="results">
<output id="burst-locked" class="result"><span class="label">locked</span><span class="count">–</span><span class="loss"></span></output>
<output id="burst-unlocked" class="result"><span class="label">unlocked</span><span class="count">–</span><span class="loss"></span></output>
</div>
<p id="burst-status" class="small" aria-live="polite">Both counters are reset before each burst.</p>
</div>
<script src="/burst.js" defer></script>`,
  )
  const livePanel = panel(
    'live',
    'Live: lock waits and store calls',
    `<p>latchkey publishes every lock and every store call on
<code>node:diagnostics_channel</code>. This server subscribes and sums them per second:</p>
<pre>const { lockAcquired, storeCommand } =
  DIAGNOSTICS_CHANNELS
subscribe(lockAcquired, (m) =&gt; add(m.waitMs))
subscribe(storeCommand, (m) =&gt; add(m.durationMs))</pre>
<p>Each bar is the longest wait of that second, the yellow mark its mean, a red tick a
timeout or a failed call. Fire the burst above: the locked requests take turns, so the
lock waits rise while the store stays fast.</p>`,
    `<div id="live" class="live" data-state="loading">
<h3>Waiting for a session's lock</h3>
<canvas id="live-locks" role="img" aria-label="Longest lock wait per second, last minute"></canvas>
<p id="live-locks-summary" class="small" aria-live="polite">Loading…</p>
<h3>Store calls (${escapeHtml(storeLabel)})</h3>
<canvas id="live-store" role="img" aria-label="Slowest store call per second, last minute"></canvas>
<p id="live-store-summary" class="small"></p>
</div>
<script type="module" src="/live.js"></script>`,
  )
  const cookiePanel = panel(
    'cookie',
    'The cookie',
    `<p>Safe defaults: scripts cannot read it, it travels only over HTTPS (browsers make an
exception for <code>localhost</code>), and cross-site form posts leave it behind.</p>`,
    `<p>Cookie <code>${escapeHtml(options.name)}</code></p>
<ul class="tags">${attributes.map((a) => `<li><code>${escapeHtml(a)}</code></li>`).join('')}</ul>
<p class="small">Store: <code id="store">${escapeHtml(storeLabel)}</code></p>`,
  )
  const loginPanel = panel(
    'login',
    'Login',
    `<p>Logging in uses a second manager, <code>AuthSessions</code>, with its own cookie. It
gives the session a new id (no fixation), and lists and ends the user's other devices.</p>`,
    user
      ? `<p>Signed in as <strong>${escapeHtml(user.name)}</strong>.</p>
<p><a href="/account" class="button">Your account</a> <a href="/account/sessions">Your sessions</a></p>`
      : `<p>The <a href="/account">account page</a> is behind <code>loginRequired</code>.</p>
<p><a href="/login" class="button">Log in</a></p>`,
  )
  return layout(
    'Sessions that do not lose updates',
    user,
    visitsPanel + burstPanel + livePanel + cookiePanel + loginPanel,
    {
      lead: 'latchkey reads and writes each session under a per-session lock, so parallel requests of one user never overwrite each other. Try it below.',
    },
  )
}

/** The login form; the demo account's credentials are shown on it. */
export function loginPage({ next, error, account, user, username = '' }) {
  const signedIn = user
    ? `<p class="notice" id="signed-in">You are signed in as <strong>${escapeHtml(user.name)}</strong>.
<a href="${escapeHtml(next)}">Continue</a>, or log in again below.</p>`
    : ''
  return layout(
    'Log in',
    user,
    `${signedIn}${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
<p>Demo account: user <code>${escapeHtml(account.username)}</code>, password <code>${escapeHtml(account.password)}</code>.</p>
<form method="post" action="/login" id="login-form">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<p><label>User <input name="username" value="${escapeHtml(username)}" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><label><input type="checkbox" name="remember"> Keep me logged in on this device</label></p>
<p><button type="submit" class="primary">Log in</button></p>
</form>`,
  )
}

/** Flash messages, read once: `flash()` before a redirect, `flashes()` on the page it leads to. */
const noticeList = (notices = []) =>
  notices.length === 0
    ? ''
    : `<ul id="notices" class="notices">${notices
        .map((n) => `<li class="notice ${escapeHtml(n.type)}">${escapeHtml(n.message)}</li>`)
        .join('')}</ul>`

/** The protected page. */
export function accountPage({ user, createdAt, notices }) {
  return layout(
    'Your account',
    user,
    `${noticeList(notices)}<p class="lead">This page is behind <code>loginRequired</code>: without a login it redirects to the login form.</p>
<p id="protected">Only logged-in users see this page. Welcome, ${escapeHtml(user.name)}.</p>
<p>Logged in since ${escapeHtml(createdAt ? when(createdAt) : 'now')}.</p>
<p><a href="/account/sessions">See the devices logged in to this account</a></p>`,
  )
}

/** The list of the user's sessions, with "sign out" on each other device and "log out everywhere else". */
export function sessionsPage({ user, sessions, ended }) {
  const rows = sessions
    .map(
      (s) => `<tr class="session${s.current ? ' current' : ''}">
<td>${escapeHtml(s.userAgent ?? '(unknown browser)')}${s.current ? ' <strong>(this device)</strong>' : ''}</td>
<td>${escapeHtml(when(s.createdAt))}</td><td>${escapeHtml(when(s.lastSeenAt))}</td>
<td>${
        s.current
          ? ''
          : `<form method="post" action="/account/sessions/${escapeHtml(s.reference)}/sign-out" class="inline"><button type="submit" class="secondary sign-out">Sign out</button></form>`
      }</td></tr>`,
    )
    .join('\n')
  const others = sessions.filter((s) => !s.current).length
  return layout(
    'Your sessions',
    user,
    `<p class="lead">Every browser logged in to this account. Signing one out deletes its session from the store: its next request is logged out.</p>
${ended === undefined ? '' : `<p id="ended" class="notice">Logged out ${escapeHtml(ended)} other session${ended === 1 ? '' : 's'}.</p>`}
<table id="sessions"><thead><tr><th>Browser</th><th>Logged in</th><th>Last seen</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table>
<form method="post" action="/account/sessions/logout-others">
<button type="submit" id="logout-others" class="secondary"${others === 0 ? ' disabled' : ''}>Log out everywhere else (${others})</button>
</form>`,
  )
}
