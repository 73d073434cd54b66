import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto'

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * The store keys of one legacy session's migration: `lock` serializes the
 * requests migrating it, `record` holds the id of the session it became.
 * Hashes, like session keys: a store dump names no legacy id. The prefixes
 * keep them apart from each other and from every session key (the SHA-256 of
 * a bare id).
 */
export function migrationKeys(source: string, legacyId: string): { lock: string; record: string } {
  const name = `${source.length}:${source}:${legacyId}`
  return {
    lock: hash('sha256', `latchkey-migration-lock:${name}`, 'base64url'),
    record: hash('sha256', `latchkey-migration:${name}`, 'base64url'),
  }
}

function keyOf(source: string, legacyId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', legacyId, 'latchkey-migration', source, 32))
}

/**
 * Encrypts a new session id (AES-256-GCM) under a key derived from the legacy
 * id it replaces (HKDF-SHA256): only a request carrying the legacy cookie can
 * read it, so the store alone never reveals a live session id.
 */
export function sealMigratedId(source: string, legacyId: string, id: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyOf(source, legacyId), iv)
  const sealed = Buffer.concat([iv, cipher.update(id, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return sealed.toString('base64url')
}

/** The id {@link sealMigratedId} sealed; `undefined` when `sealed` is not one under this legacy id. */
export function openMigratedId(
  source: string,
  legacyId: string,
  sealed: string,
): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url')
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined
  const decipher = createDecipheriv(
    'aes-256-gcm',
    keyOf(source, legacyId),
    bytes.subarray(0, IV_BYTES),
  )
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
  try {
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ])
    return plain.toString('utf8')
  } catch {
    return undefined
  }
}
