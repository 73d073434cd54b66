/** What a call that missed its deadline is rejected with, before the store words it. */
export class DeadlineExceeded extends Error {}

/**
 * Runs `work` under a deadline: the promise rejects with
 * {@link DeadlineExceeded} once `ms` have passed without an answer, and the
 * signal handed to `work` is aborted then, so that a client taking one can
 * drop the command. The caller thus gets its answer in time however long the
 * server or the pool makes the command wait.
 *
 * @param ms the deadline, in milliseconds
 * @param onLate receives the value of work that succeeded after its deadline
 *   had already failed the caller (a lock taken too late, which must be given back)
 */
export function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  onLate?: (value: T) => void,
): Promise<T> {
  const controller = new AbortController()
  return new Promise<T>((resolve, reject) => {
    let late = false
    const timer = setTimeout(() => {
      late = true
      const error = new DeadlineExceeded()
      reject(error)
      controller.abort(error)
    }, ms)
    let pending: Promise<T>
    try {
      pending = work(controller.signal)
    } catch (error) {
      // A client that throws instead of rejecting (bad arguments, a closed connection).
      pending = Promise.reject(error)
    }
    pending.then(
      (value) => {
        if (late) onLate?.(value)
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
