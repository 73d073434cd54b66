/**
 * passport-oauth2's authorization code flow (state and PKCE kept in the
 * session by passport-oauth2's own session store) on a latchkey session,
 * against a real authorization server started here: oidc-provider, a
 * certified OpenID Provider, with its in-memory adapter, its development
 * login and consent pages, and one static confidential client; on Express 4 and 5.
 */
import { createServer } from 'node:http'
import express5 from 'express'
import express4 from 'express4'
import Provider from 'oidc-provider'
import OAuth2Strategy from 'passport-oauth2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expressSession } from '../../src/adapters/express/index.js'
import { AuthSessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, type Reply, request, type Served, served } from '../support/http.js'
import { passportOn, route, USERS, type User } from './app.js'

const CLIENT = { id: 'latchkey-app', secret: 'a-client-secret-for-the-test-only' }

/** A browser: one cookie jar per origin, following redirects (303 and 302 as GET). */
class Browser {
  readonly #jars = new Map<string, CookieJar>()
  /** Every URL visited, redirects included. */
  readonly visited: string[] = []
  /** Redirects to URLs that start with this are not followed (the last one visited). */
  stopBefore: string | undefined

  jar(url: string): CookieJar {
    const { origin } = new URL(url)
    let jar = this.#jars.get(origin)
    if (!jar) {
      jar = new CookieJar()
      this.#jars.set(origin, jar)
    }
    return jar
  }

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    let next = url
    let reply: Reply
    let method = init.method ?? 'GET'
    let body = init.form && new URLSearchParams(init.form).toString()
    for (let hops = 0; ; hops++) {
      if (hops > 20) throw new Error(`too many redirects from ${url}`)
      this.visited.push(next)
      reply = await this.jar(next).fetch(next, {
        method,
        ...(body === undefined
          ? {}
          : { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      })
      const location = reply.headers.get('location')
      if (reply.status < 300 || reply.status >= 400 || !location) return reply
      next = new URL(location, next).href
      if (this.stopBefore && next.startsWith(this.stopBefore)) {
        this.visited.push(next)
        return reply
      }
      method = 'GET'
      body = undefined
    }
  }

  /** Submits the page's one form with `fields` (and its hidden inputs). */
  async submit(page: Reply, pageUrl: string, fields: Record<string, string> = {}) {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1]
    if (!action) throw new Error(`no form on the page:\n${page.body}`)
    const hidden = Object.fromEntries(
      [...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
        ([, name, value]) => [name as string, value as string],
      ),
    )
    return this.go(new URL(action, pageUrl).href, {
      method: 'POST',
      form: { ...hidden, ...fields },
    })
  }

  get last(): string {
    return this.visited.at(-1) as string
  }
}

describe.each([
  ['express 4', express4],
  ['express 5', express5],
])('passport-oauth2 against oidc-provider, %s', (_name, express) => {
  const auth = new AuthSessions({ store: new MemoryStore(), cookie: { secure: false } })
  let provider: Served
  let app: Served

  beforeAll(async () => {
    const appServer = createServer().listen(0, '127.0.0.1')
    app = await served(appServer)
    const providerServer = createServer().listen(0, '127.0.0.1')
    provider = await served(providerServer)
    const oidc = new Provider(provider.url, {
      clients: [
        {
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
          redirect_uris: [`${app.url}/auth/provider/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      // Set, so that the provider does not print a notice for each default.
      ttl: { AccessToken: 600, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    })
    providerServer.on('request', oidc.callback())

    const site = express()
    const passport = passportOn(site, auth)
    passport.use(
      'provider',
      new OAuth2Strategy(
        {
          authorizationURL: `${provider.url}/auth`,
          tokenURL: `${provider.url}/token`,
          clientID: CLIENT.id,
          clientSecret: CLIENT.secret,
          callbackURL: `${app.url}/auth/provider/callback`,
          scope: 'openid',
          state: true,
          pkce: true,
        },
        (
          accessToken: string,
          _refresh: string,
          _profile: unknown,
          done: OAuth2Strategy.VerifyCallback,
        ) => {
          // The access token from the code exchange, used: the provider says whose it is.
          fetch(`${provider.url}/me`, { headers: { authorization: `Bearer ${accessToken}` } })
            .then((response) => response.json() as Promise<{ sub?: string }>)
            .then(({ sub }) => {
              const user = sub === undefined ? undefined : USERS.get(sub)
              done(null, user ? { id: user.id, name: user.name } : false)
            }, done)
        },
      ),
    )
    site.get('/auth/provider', passport.authenticate('provider'))
    site.get('/auth/provider/callback', passport.authenticate('provider'), (_req, res) => {
      res.redirect('/me')
    })
    site.get(
      '/me',
      route(async (req, res) => {
        res.json({
          user: (req.user as User | undefined)?.id ?? null,
          latchkeyUser: (await auth.of(req).currentUser()) ?? null,
          pending: Object.keys(expressSession(req)),
        })
      }),
    )
    appServer.on('request', site)
  })
  afterAll(async () => {
    await app?.close()
    await provider?.close()
  })

  const cookieName = () => auth.options.cookie.name

  /** From the app's redirect to the provider's login page. */
  async function toLoginPage(browser: Browser): Promise<Reply> {
    const page = await browser.go(`${app.url}/auth/provider`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('name="login"')
    return page
  }

  it('logs in through the full redirect flow, on the latchkey session', async () => {
    const browser = new Browser()
    const loginPage = await toLoginPage(browser)
    // The state and PKCE verifier are in the latchkey session of the app, under a cookie.
    const before = browser.jar(app.url).get(cookieName())
    expect(before).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const consentPage = await browser.submit(loginPage, browser.last, {
      login: 'alice',
      password: 'any',
    })
    expect(consentPage.body).toContain('name="prompt" value="consent"')
    const me = await browser.submit(consentPage, browser.last)
    expect(
      browser.visited.some((url) => url.startsWith(`${app.url}/auth/provider/callback?code=`)),
    ).toBe(true)
    expect(me.json()).toEqual({ user: 'alice', latchkeyUser: 'alice', pending: ['passport'] })
    // Logged in under a new id; the session of the flow, with its state, is gone.
    const after = browser.jar(app.url).get(cookieName())
    expect(after).not.toBe(before)
    const old = await request(`${app.url}/me`, { cookie: `${cookieName()}=${before}` })
    expect(old.json()).toEqual({ user: null, latchkeyUser: null, pending: [] })
    expect(await auth.listSessions('alice')).toHaveLength(1)
  })

  /** Through login and consent, up to the provider's redirect back to the app: its URL. */
  async function callbackOfAFlow(browser: Browser): Promise<URL> {
    const loginPage = await toLoginPage(browser)
    const consentPage = await browser.submit(loginPage, browser.last, {
      login: 'alice',
      password: 'any',
    })
    browser.stopBefore = `${app.url}/auth/provider/callback`
    await browser.submit(consentPage, browser.last)
    const callback = new URL(browser.last)
    expect(callback.searchParams.get('code')).toBeTruthy()
    expect(callback.searchParams.get('state')).toBeTruthy()
    return callback
  }

  it('refuses a callback whose state is not the one in the session', async () => {
    const browser = new Browser()
    const callback = await callbackOfAFlow(browser)
    callback.searchParams.set('state', 'forged-state')
    const jar = browser.jar(app.url)
    expect((await jar.fetch(callback.href)).status).toBe(403)
    expect((await jar.fetch(`${app.url}/me`)).json()).toMatchObject({ user: null })
    // The state was used up: the genuine one fails now too.
    expect((await jar.fetch(callback.href)).status).toBe(403)
  })

  it('refuses a callback in a browser that did not start the flow', async () => {
    const callback = await callbackOfAFlow(new Browser())
    // Another browser gets the callback, code and state untouched (login CSRF).
    const victim = new CookieJar()
    expect((await victim.fetch(callback.href)).status).toBe(403)
    expect((await victim.fetch(`${app.url}/me`)).json()).toMatchObject({ user: null })
  })
})
