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
