import { MemoryStore } from '../../src/stores/memory/index.js'

const OPERATIONS = ['get', 'set', 'delete', 'touch', 'lock'] as const

/** A real MemoryStore whose operations are counted, to prove which requests did store I/O. */
export class CountingStore extends MemoryStore {
  readonly calls = { get: 0, set: 0, delete: 0, touch: 0, lock: 0 }

  get total(): number {
    return OPERATIONS.reduce((sum, operation) => sum + this.calls[operation], 0)
  }

  override get(...args: Parameters<MemoryStore['get']>) {
    this.calls.get++
    return super.get(...args)
  }

  override set(...args: Parameters<MemoryStore['set']>) {
    this.calls.set++
    return super.set(...args)
  }

  override delete(...args: Parameters<MemoryStore['delete']>) {
    this.calls.delete++
    return super.delete(...args)
  }

  override touch(...args: Parameters<MemoryStore['touch']>) {
    this.calls.touch++
    return super.touch(...args)
  }

  override lock(...args: Parameters<MemoryStore['lock']>) {
    this.calls.lock++
    return super.lock(...args)
  }
}
