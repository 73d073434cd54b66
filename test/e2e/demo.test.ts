import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const COOKIE = 'SECURE_SESSION'
const hasChromium = existsSync(CHROMIUM)

if (!hasChromium) {
  const message = `Chromium not found at ${CHROMIUM}: the end-to-end demo test is skipped. Enable it with "apt-get install chromium" (or set CHROMIUM_PATH).`
  if (process.env.CI) throw new Error(`${message} CI must not skip it.`)
  console.warn(message)
}

/** Builds the package (the demo imports `latchkey` from dist) and starts the demo on a free port. */
async function startDemo(): Promise<{ child: ChildProcess; base: string; stderr: string[] }> {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  const child = spawn(process.execPath, ['examples/demo/server.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString())
    process.stderr.write(chunk)
  })
  const base = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /latchkey demo on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before listening`)))
  })
  return { child, base, stderr }
}

async function logIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/account`)
  expect(new URL(page.url()).pathname).toBe('/login')
  expect(new URL(page.url()).searchParams.get('next')).toBe('/account')
  await page.fill('input[name=username]', 'ada')
  await page.fill('input[name=password]', 'lovelace')
  await Promise.all([page.waitForURL(`${base}/account`), page.click('#login-form button')])
  expect(await page.textContent('#protected')).toContain('Welcome, Ada Lovelace')
}

async function isShutOut(page: Page, base: string): Promise<boolean> {
  await page.goto(`${base}/account`)
  return new URL(page.url()).pathname === '/login'
}

describe.skipIf(!hasChromium)('the demo in headless Chromium', () => {
  let demo: { child: ChildProcess; base: string; stderr: string[] }
  let browser: Browser
  let laptop: BrowserContext
  let phone: BrowserContext

  beforeAll(async () => {
    demo = await startDemo()
    // Playwright gives the browser a fresh, temporary user-data dir and removes it on close.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    // Markup in the user agent must show as text on the sessions page (escaped HTML).
    laptop = await browser.newContext({ userAgent: 'E2E Laptop <b>Browser</b>' })
    phone = await browser.newContext({ userAgent: 'E2E Phone Browser' })
  })

  afterAll(async () => {
    await browser?.close()
    demo?.child.kill()
  })

  it('counts visits with the plain session', async () => {
    const page = await laptop.newPage()
    await page.goto(`${demo.base}/`)
    expect(await page.textContent('#visits')).toBe('1')
    await page.reload()
    expect(await page.textContent('#visits')).toBe('2')
    await page.close()
  })

  it('fires 50 parallel requests: the locked route counts all, the unlocked one loses some', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const warnings: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') warnings.push(m.text())
    })
    await page.goto(`${demo.base}/`)
    expect(await page.getAttribute('#burst', 'data-size')).toBe('50')
    for (let round = 0; round < 2; round++) {
      await page.click('#burst-fire')
      await page.waitForSelector('#burst[data-state="done"]', { timeout: 20_000 })
      const locked = Number(await page.getAttribute('#burst-locked', 'data-count'))
      const unlocked = Number(await page.getAttribute('#burst-unlocked', 'data-count'))
      expect(locked).toBe(50)
      expect(await page.textContent('#burst-locked .count')).toBe('50 of 50')
      expect(await page.getAttribute('#burst-locked', 'class')).not.toContain('lost')
      // Reset before the burst: a second round starts from 0 again, not from 50 or more.
      expect(unlocked).toBeGreaterThan(0)
      expect(unlocked).toBeLessThan(50)
      expect(await page.textContent('#burst-unlocked .loss')).toBe(`${50 - unlocked} lost`)
      expect(await page.getAttribute('#burst-unlocked', 'class')).toContain('lost')
      const cookies = await context.cookies(demo.base)
      expect(cookies.map((c) => c.name).sort()).toEqual(['RACY_SESSION', 'SESSION'])
      if (round === 0 && process.env.DEMO_SCREENSHOT)
        await page.screenshot({ path: `${ROOT}docs/images/demo.png`, fullPage: true })
    }
    expect(warnings).toEqual([])
    await context.close()
  })

  it('plots the last minute of lock waits and store calls, live, from the diagnostics channels', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${demo.base}/`)
    await page.waitForSelector('#live[data-state="live"]')
    await page.click('#burst-fire')
    await page.waitForSelector('#burst[data-state="done"]', { timeout: 20_000 })
    // The next poll (once a second) counts the burst: 50 locked requests, most of them queued.
    await page.waitForFunction(
      "Number(document.getElementById('live').dataset.queued) >= 40",
      undefined,
      {
        timeout: 5_000,
      },
    )
    const live = async (name: string) => Number(await page.getAttribute('#live', `data-${name}`))
    expect(await live('locks')).toBeGreaterThanOrEqual(50)
    // Each locked request holds the lock for the burst's 30 ms wait, so some wait that long.
    expect(await live('max-wait-ms')).toBeGreaterThanOrEqual(30)
    expect(await live('store-calls')).toBeGreaterThan(0)
    expect(await live('timeouts')).toBe(0)
    expect(await live('store-errors')).toBe(0)
    expect(await page.textContent('#live-locks-summary')).toMatch(/\d+ locks, \d+ queued/)
    // Both plots drew bars: the pixels each canvas filled with the bars' colour (#1f3a5f).
    const painted = await page.evaluate<
      number[]
    >(`[...document.querySelectorAll('#live canvas')].map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height)
      let bar = 0
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === 0x1f && data[i + 1] === 0x3a && data[i + 2] === 0x5f) bar++
      return bar
    })`)
    expect(painted).toHaveLength(2)
    expect(painted.every((pixels) => pixels > 0)).toBe(true)
    // The JSON behind it: one summary per second for the last minute, oldest first.
    const { seconds } = await (await page.request.get(`${demo.base}/live`)).json()
    expect(seconds).toHaveLength(60)
    expect(seconds[59].t - seconds[0].t).toBe(59)
    if (process.env.DEMO_SCREENSHOT)
      await page.locator('#live-panel').screenshot({ path: `${ROOT}docs/images/demo-live.png` })
    await context.close()
  })

  it('serves its favicon and stylesheet from its own origin under a CSP, and refuses cross-site bursts', async () => {
    const page = await laptop.newPage()
    const home = await page.goto(`${demo.base}/`)
    expect(home?.headers()['content-security-policy']).toContain("default-src 'self'")
    const icon = await page.request.get(`${demo.base}/favicon.ico`)
    expect(icon.status()).toBe(200)
    expect(icon.headers()['content-type']).toBe('image/svg+xml')
    const sheets = await page.$$eval('link[rel=stylesheet]', (links) =>
      links.map((l) => l.getAttribute('href')),
    )
    expect(sheets).toEqual(['/style.css'])
    // The burst routes are POSTs like the forms: refused from another site.
    const refused = await page.request.post(`${demo.base}/burst/unlocked`, {
      headers: { origin: 'https://evil.example' },
    })
    expect(refused.status()).toBe(403)
    await page.close()
  })

  it('logs in, reaches the protected page, and keeps the cookie away from scripts', async () => {
    const page = await laptop.newPage()
    await logIn(page, demo.base)
    // The login's flash message, shown once by the page after the redirect.
    expect(await page.textContent('#notices')).toBe('Welcome back, Ada Lovelace.')
    await page.reload()
    expect(await page.$('#notices')).toBeNull()
    const cookies = await laptop.cookies(demo.base)
    const session = cookies.find((c) => c.name === COOKIE)
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
    const visible = await page.evaluate<string>('document.cookie')
    expect(visible).not.toContain(COOKIE)
    expect(visible).not.toContain(session?.value)
    await page.goto(`${demo.base}/login`)
    expect(await page.textContent('#who')).toBe('Ada Lovelace')
    expect(await page.textContent('#signed-in')).toContain('You are signed in as Ada Lovelace')
    expect(await page.$('#login-link')).toBeNull()
    await page.close()
  })

  it('signs out one other device with its “Sign out” button', async () => {
    const phonePage = await phone.newPage()
    await logIn(phonePage, demo.base)
    const page = await laptop.newPage()
    await page.goto(`${demo.base}/account/sessions`)
    const phoneRow = page.locator('#sessions tbody tr', { hasText: 'E2E Phone Browser' })
    // Only the other devices have the button; its form names the session by its reference.
    expect(await page.locator('#sessions tr.current .sign-out').count()).toBe(0)
    const action = await phoneRow.locator('form').getAttribute('action')
    expect(action).toMatch(/^\/account\/sessions\/[A-Za-z0-9_-]{16}\/sign-out$/)
    await Promise.all([
      page.waitForURL(/\/account\/sessions\?ended=1$/),
      phoneRow.locator('.sign-out').click(),
    ])
    expect(await page.textContent('#ended')).toContain('Logged out 1 other session')
    expect(await page.$$('#sessions tbody tr')).toHaveLength(1)
    expect(await isShutOut(phonePage, demo.base)).toBe(true)
    expect(await isShutOut(page, demo.base)).toBe(false)
    // The same reference again ends nothing.
    const again = await page.request.post(`${demo.base}${action}`, { maxRedirects: 0 })
    expect(again.headers().location).toBe('/account/sessions?ended=0')
    await phonePage.close()
    await page.close()
  })

  it('ends another device with “log out everywhere else”', async () => {
    const phonePage = await phone.newPage()
    await logIn(phonePage, demo.base)

    const page = await laptop.newPage()
    await page.goto(`${demo.base}/account/sessions`)
    const rows = await page.$$eval('#sessions tbody tr', (trs) =>
      trs.map((tr) => tr.textContent ?? ''),
    )
    expect(rows).toHaveLength(2)
    expect(rows.find((r) => r.includes('(this device)'))).toContain('E2E Laptop <b>Browser</b>')
    expect(rows.some((r) => r.includes('E2E Phone Browser'))).toBe(true)

    await Promise.all([
      page.waitForURL(/\/account\/sessions\?ended=1$/),
      page.click('#logout-others'),
    ])
    expect(await page.textContent('#ended')).toContain('Logged out 1 other session')
    expect(await page.$$('#sessions tbody tr')).toHaveLength(1)

    expect(await isShutOut(phonePage, demo.base)).toBe(true)
    expect(await isShutOut(page, demo.base)).toBe(false)
    await phonePage.close()
    await page.close()
  })

  it('refuses a wrong password and never redirects off-site after login', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${demo.base}/login?next=${encodeURIComponent('//evil.example/x')}`)
    await page.fill('input[name=username]', 'ada')
    await page.fill('input[name=password]', 'wrong')
    const refused = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#login-form button'),
    ])
    expect(refused[0].status()).toBe(401)
    expect(await page.textContent('#error')).toContain('Wrong user or password')
    expect(await page.inputValue('input[name=username]')).toBe('ada')
    await page.fill('input[name=password]', 'lovelace')
    await Promise.all([page.waitForURL(`${demo.base}/x`), page.click('#login-form button')])
    expect(new URL(page.url()).origin).toBe(demo.base)
    await context.close()
  })

  it('logs out, and the protected page is closed again', async () => {
    const page = await laptop.newPage()
    await page.goto(`${demo.base}/account`)
    await Promise.all([page.waitForURL(`${demo.base}/`), page.click('#logout')])
    expect((await laptop.cookies(demo.base)).some((c) => c.name === COOKIE)).toBe(false)
    expect(await isShutOut(page, demo.base)).toBe(true)
    await page.close()
  })

  it("printed no warning (the unlocked route's manager has warnLock off; the others write under the lock)", () => {
    expect(demo.stderr.join('')).toBe('')
  })
})
