/**
 * The Next.js example in headless Chromium: the page's Server Component reads
 * the sessions, its forms change them through Server Actions (the session
 * cookie set by `withSession` through `cookies()`), `proxy.js` writes the
 * session before the page renders, and a page guarded by `requireLogin`
 * redirects without login.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)

if (!hasChromium) {
  const message = `Chromium not found at ${CHROMIUM}: the Next.js browser run is skipped. Enable it with "apt-get install chromium" (or set CHROMIUM_PATH).`
  if (process.env.CI) throw new Error(`${message} CI must not skip it.`)
  console.warn(message)
}

/** The browser cases, against the example served at `base()`. */
export function nextInTheBrowser(base: () => string): void {
  describe.skipIf(!hasChromium)('in headless Chromium', () => {
    let browser: Browser
    let page: Page
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      })
      page = await (await browser.newContext()).newPage()
    }, 60_000)
    afterAll(() => browser?.close())

    it('counts with a Server Action, under the lock', async () => {
      await page.goto(`${base()}/`)
      await expect.poll(() => page.textContent('#count')).toBe('0')
      for (const n of ['1', '2']) {
        await page.click('text=Increment')
        await expect.poll(() => page.textContent('#count')).toBe(n)
      }
      // proxy.js counts each visit to / under the lock, before the page reads the session.
      const visits = Number(await page.textContent('#visits'))
      await page.reload()
      expect(Number(await page.textContent('#visits'))).toBe(visits + 1)
      const cookie = (await page.context().cookies()).find(({ name }) => name === 'SESSION')
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    })

    it('logs in, reaches the guarded page, and logs out', async () => {
      await page.goto(`${base()}/me`)
      expect(new URL(page.url()).search).toBe('?next=%2Fme')
      await page.fill('input[name=password]', 'looking-glass')
      await page.click('text=Log in')
      await expect.poll(() => page.textContent('[role=alert]')).toBe('Wrong user or password.')
      await page.fill('input[name=password]', 'wonderland')
      await page.click('text=Log in')
      await expect.poll(() => page.textContent('#me')).toBe('alice')
      await page.goto(`${base()}/`)
      expect(await page.textContent('#user')).toBe('Signed in as alice')
      expect(await page.textContent('#count')).toBe('2')
      await page.click('text=Log out')
      await expect.poll(() => page.isVisible('text=Log in')).toBe(true)
      await page.goto(`${base()}/me`)
      expect(new URL(page.url()).pathname).toBe('/')
    })
  })
}
