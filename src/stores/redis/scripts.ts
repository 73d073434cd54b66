import { script } from './client.js'

/*
 * Lua scripts run atomically on the node owning their keys. Every script
 * touches keys of one hash tag only, so each works in a Redis Cluster.
 *
 * A session is a hash: r = the record as JSON without its times, s = lastSeenAt,
 * e = expiresAt (ms), u = userId ('' when none), so a touch rewrites two small
 * fields instead of the data.
 *
 * Beside it, a set of the users whose deleteByUser covered the session's key
 * (see REVOKE). Both writes refuse a record of one of those users.
 */

/** KEYS: data, revoked. ARGV: json, lastSeenAt, expiresAt, userId, ttlSeconds. 0 when refused. */
export const SET = script(`
if ARGV[4] ~= '' and redis.call('SISMEMBER', KEYS[2], ARGV[4]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1], 's', ARGV[2], 'e', ARGV[3], 'u', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
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
 * KEYS: data, lock, revoked. ARGV: token, 'set' | 'delete' | 'none', then for
 * 'set' json, lastSeenAt, expiresAt, userId, ttlSeconds.
 * The fencing check: nothing is written unless the token still holds the lock.
 * Returns -1 when it does not, 0 when 'set' found no record (or was refused as
 * SET is), 1 otherwise. EXPIRE answers 0 for a missing key, so it is the
 * existence check too.
 */
export const COMMIT = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
redis.call('DEL', KEYS[2])
if ARGV[2] == 'set' then
  if ARGV[6] ~= '' and redis.call('SISMEMBER', KEYS[3], ARGV[6]) == 1 then return 0 end
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

/**
 * KEYS: data, revoked. ARGV: userId, ttlMs.
 * Deletes the session if it belongs to that user, and for ttlMs refuses any
 * write of a record of that user at this key. A login indexes its session
 * before writing it, so deleteByUser can read a key whose write is still on
 * its way; without the refusal that write would land after this deletion and
 * outlive the index entry deleteByUser then removes. (Record and index live
 * in different cluster slots, so no one script can write both; a per-user
 * revocation counter would cost every read a second round trip.) ttlMs is
 * the time left until the index entry's expiry, which no record written
 * after that entry outlives. Returns 1 when a session was deleted.
 */
export const REVOKE = script(`
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('SADD', KEYS[2], ARGV[1])
  if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
end
if redis.call('HGET', KEYS[1], 'u') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`)

/**
 * KEYS: user index. ARGV: pairs of session key and the score it was read with.
 * Removes each entry only if its score is unchanged: a write that indexed the
 * session again meanwhile (a new expiry) keeps its entry.
 */
export const UNINDEX = script(`
for i = 1, #ARGV, 2 do
  if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i])) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return 1
`)
