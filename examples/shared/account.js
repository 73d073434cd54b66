// The example apps' one account, `alice` / `wonderland`. A real app checks a password
// hash (scrypt, argon2) from its database.
import { timingSafeEqual } from 'node:crypto'

const ACCOUNT = { user: 'alice', password: 'wonderland' }

function sameText(a, b) {
  const left = Buffer.from(String(a))
  const right = Buffer.from(String(b))
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * The user that a login body `{ user, password }` names, or undefined when either is wrong.
 * @param {unknown} body
 * @returns {{ id: string } | undefined}
 */
export function checkLogin(body) {
  const { user = '', password = '' } = typeof body === 'object' && body !== null ? body : {}
  // Both compared, always: the answer's timing does not tell which one was wrong.
  const checks = [sameText(user, ACCOUNT.user), sameText(password, ACCOUNT.password)]
  return checks.every(Boolean) ? { id: ACCOUNT.user } : undefined
}
