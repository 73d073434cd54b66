import { script } from './client.js'

/*
 * Lua scripts run atomically on the node owning their keys. Every script
 * touches keys of one hash tag only, so each works in a Redis Cluster.
 *
 * A session is a hash: r = the record as JSON without its times, s = lastSeenAt,
 * e = expiresAt (ms), u = userId ('' when none), so a touch rewrites two small
 * fields instead of the data.
 */

const WRITE = `
local function write(key, json, seen, expires, user, ttl)
  redis.call('HSET', key, 'r', json, 's', seen, 'e', expires, 'u', user)
  redis.call('EXPIRE', key, ttl)
end
`

/** KEYS: data. ARGV: json, lastSeenAt, expiresAt, userId, ttlSeconds. */
export const SET = script(`${WRITE}
write(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
`)

/** KEYS: data. ARGV: lastSeenAt, expiresAt, ttlSeconds. Returns the userId, or nil when missing. */
export const TOUCH = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'e', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return redis.call('HGET', KEYS[1], 'u')
`)

/**
 * KEYS: data, lock. ARGV: token, leaseMs.
 * Takes the lock (SET NX PX) and reads the record in the same step:
 * {r, s, e} when taken, nil when another holder has it.
 */
export const LOCK = script(`
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('HMGET', KEYS[1], 'r', 's', 'e')
end
return false
`)

/** KEYS: lock. ARGV: token, leaseMs. 1 when the lease was extended, 0 when it is no longer ours. */
export const RENEW = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

/**
 * KEYS: data, lock. ARGV: token, 'set' | 'delete' | 'none', then for 'set'
 * json, lastSeenAt, expiresAt, userId, ttlSeconds.
 * The fencing check: nothing is written unless the token still holds the lock.
 * Returns -1 when it does not, 0 when 'set' found no record, 1 otherwise.
 * EXPIRE answers 0 for a missing key, so it is the existence check too.
 */
export const COMMIT = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
redis.call('DEL', KEYS[2])
if ARGV[2] == 'set' then
  if redis.call('EXPIRE', KEYS[1], ARGV[7]) == 0 then return 0 end
  redis.call('HSET', KEYS[1], 'r', ARGV[3], 's', ARGV[4], 'e', ARGV[5], 'u', ARGV[6])
elseif ARGV[2] == 'delete' then
  redis.call('DEL', KEYS[1])
end
return 1
`)

/**
 * KEYS: user index. ARGV: expiry (ms epoch) as score, session key, now (ms), ttlMs.
 * Adds or moves the session, prunes entries past their expiry, and keeps the
 * index alive as long as its longest-lived session.
 */
export const INDEX = script(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1
`)

/** KEYS: data. ARGV: userId. Deletes the session only if it still belongs to that user. */
export const DELETE_IF_USER = script(`
if redis.call('HGET', KEYS[1], 'u') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`)
