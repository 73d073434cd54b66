import { SessionConfigError, SessionUsageError } from '../core/errors.js'

/** The command did what it was asked. */
export const EXIT_OK = 0
/** It failed while running: the server is unreachable, a statement failed. */
export const EXIT_FAILURE = 1
/** It was called wrongly: an unknown command or flag, a missing or bad value, a bad URL. */
export const EXIT_USAGE = 2
/** The database client package the URL needs is not installed. */
export const EXIT_MISSING_CLIENT = 3

/** The client package for a store URL could not be found (exit code 3). */
export class MissingClientError extends SessionConfigError {}

/**
 * The exit code for an error: a store's configuration error is a usage error
 * here, as every store option comes from a flag or the URL.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof MissingClientError) return EXIT_MISSING_CLIENT
  if (error instanceof SessionUsageError || error instanceof SessionConfigError) return EXIT_USAGE
  return EXIT_FAILURE
}
