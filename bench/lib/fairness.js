// Settings every contestant applies the same way, so the table compares
// libraries rather than configurations.

/** Session cookie attributes: the bench talks plain http, hence `secure: false` everywhere. */
export const COOKIE = {
  path: '/',
  httpOnly: true,
  secure: false,
  sameSite: 'lax',
  /** Seconds: latchkey's default ttl (30 days), given to the peers as their cookie max-age. */
  maxAge: 30 * 24 * 60 * 60,
}

/** Signing secret for peers that sign their cookie (≥ 32 characters, as @fastify/session demands). */
export const SECRET = 'latchkey-bench-secret-0123456789abcdefghijklmnop'

/** Connections in each PostgreSQL contestant's pool (pg's default is 10). */
export const POSTGRES_POOL_SIZE = 20

/** Connections in each MySQL contestant's pool (mysql2's default is 10), as many as PostgreSQL's. */
export const MYSQL_POOL_SIZE = 20

/**
 * The cookie stores skip the hot scenario: the session travels in the cookie
 * and the load generator sends every request with the same first cookie, so
 * no request sees another's write and "lost updates" would count every
 * request, for every library alike (see latchkey-fastify-cookie.js).
 */
export const COOKIE_STORE_SKIP = {
  hot: 'cookie store: every request carries the same first cookie, so lost updates would equal the request count for any library',
}
