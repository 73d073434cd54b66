/**
 * latchkey/otel with the OpenTelemetry SDK's own in-memory exporters (real
 * SDK parts): lock waits and store calls as spans under the request's span,
 * and the lock and store metrics.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Sessions } from '../../src/index.js'
import { instrumentLatchkey, type LatchkeyInstrumentation } from '../../src/otel/index.js'
import { OutageStore } from '../adapters/outage-store.js'

const spans = new InMemorySpanExporter()
const tracer = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(spans)],
}).getTracer('latchkey-test')
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
})
const meterProvider = new MeterProvider({ readers: [reader] })
const contextManager = new AsyncLocalStorageContextManager()
let instrumentation: LatchkeyInstrumentation

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable())
  instrumentation = instrumentLatchkey({ tracer, meter: meterProvider.getMeter('latchkey') })
})
afterAll(async () => {
  instrumentation.disable()
  context.disable()
  await meterProvider.shutdown()
})
afterEach(() => spans.reset())

/** The data points of metric `name`, as last exported. */
async function points(name: string) {
  await reader.forceFlush()
  const exported = metricExporter.getMetrics().at(-1)
  const metric = exported?.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((candidate) => candidate.descriptor.name === name)
  return metric?.dataPoints ?? []
}

/** Runs `fn` in a request span of its own, as HTTP instrumentation would. */
function inRequest<T>(name: string, fn: () => Promise<T>): Promise<{ span: Span; value: T }> {
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return { span, value: await fn() }
    } finally {
      span.end()
    }
  })
}

async function seeded(sessions: Sessions<{ n: number }>): Promise<string> {
  const first = sessions.open({ cookie: undefined })
  await first.set('n', 0)
  const cookie = (await first.commit())[0]?.split(';')[0] as string
  spans.reset() // the seeding's own store calls
  return cookie
}

describe('instrumentLatchkey', () => {
  it('puts each lock wait and store call under the request span, and measures the wait', async () => {
    const sessions = new Sessions<{ n: number }>({ store: new OutageStore(), warnLock: false })
    const cookie = await seeded(sessions)
    const request = (name: string) =>
      inRequest(name, async () => {
        const session = sessions.open({ cookie })
        await session.withLock(async (s) => {
          await sleep(40)
          s.set('n', (s.get('n') ?? 0) + 1)
        })
        await session.commit()
      })
    const first = request('first')
    await sleep(5)
    const [a, b] = await Promise.all([first, request('second')])

    const waits = spans.getFinishedSpans().filter((span) => span.name === 'latchkey lock wait')
    expect(waits.map((span) => span.parentSpanContext?.spanId).sort()).toEqual(
      [a.span.spanContext().spanId, b.span.spanContext().spanId].sort(),
    )
    const second = waits.find(
      (span) => span.parentSpanContext?.spanId === b.span.spanContext().spanId,
    )
    // The second request waited for the first one's 40 ms under the lock.
    const waitedMs = (second?.duration[0] ?? 0) * 1000 + (second?.duration[1] ?? 0) / 1e6
    expect(waitedMs).toBeGreaterThan(25)

    const storeCalls = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT)
    expect(storeCalls.map((span) => span.name)).toEqual(
      expect.arrayContaining(['latchkey memory lock', 'latchkey memory commit']),
    )
    for (const call of storeCalls) {
      expect([a.span.spanContext().spanId, b.span.spanContext().spanId]).toContain(
        call.parentSpanContext?.spanId,
      )
      expect(call.attributes).toMatchObject({
        'latchkey.store': 'memory',
        'latchkey.manager': 'session',
      })
    }

    const [wait] = await points('latchkey.lock.wait.duration')
    expect(wait?.value).toMatchObject({ count: expect.any(Number), max: expect.any(Number) })
    const histogram = wait?.value as { count: number; max: number }
    expect(histogram.count).toBeGreaterThanOrEqual(2)
    expect(histogram.max).toBeGreaterThan(0.025)
    const held = await points('latchkey.lock.active')
    expect(held.map((point) => point.value)).toEqual([0])
    const events = await points('latchkey.session.events')
    expect(events).toContainEqual(
      expect.objectContaining({
        attributes: { 'latchkey.manager': 'session', 'latchkey.event': 'created' },
      }),
    )
    await sessions.close()
  })

  it('counts a lock timeout and fails its span', async () => {
    const sessions = new Sessions<{ n: number }>({
      store: new OutageStore(),
      warnLock: false,
      lock: { timeout: 0.05 },
    })
    const cookie = await seeded(sessions)
    const holder = sessions.open({ cookie })
    const held = await holder.lock()
    const waiter = sessions.open({ cookie })
    await expect(waiter.lock()).rejects.toMatchObject({ code: 'LATCHKEY_LOCK_TIMEOUT' })
    await held.release()
    await holder.commit()

    const failed = spans
      .getFinishedSpans()
      .filter(
        (span) => span.name === 'latchkey lock wait' && span.status.code === SpanStatusCode.ERROR,
      )
    expect(failed).toHaveLength(1)
    const timeouts = await points('latchkey.lock.timeouts')
    expect(
      timeouts.reduce((sum, point) => sum + (point.value as number), 0),
    ).toBeGreaterThanOrEqual(1)
    await sessions.close()
  })

  it('counts a failed store call and fails its span', async () => {
    const store = new OutageStore()
    const sessions = new Sessions<{ n: number }>({ store, warnLock: false })
    const cookie = await seeded(sessions)
    store.down = true
    await expect(sessions.open({ cookie }).get('n')).rejects.toMatchObject({
      code: 'LATCHKEY_STORE',
    })
    const [failed] = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT)
    expect(failed?.name).toBe('latchkey memory get')
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR)
    expect(failed?.status.message).toContain('ECONNREFUSED')
    const errors = await points('latchkey.store.errors')
    expect(errors).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({ 'latchkey.store.operation': 'get' }),
        value: 1,
      }),
    )
    await sessions.close()
  })

  it('stops reporting once disabled', async () => {
    const sessions = new Sessions<{ n: number }>({ store: new OutageStore() })
    instrumentation.disable()
    const cookie = await seeded(sessions)
    await sessions.open({ cookie }).withLock((s) => s.set('n', 1))
    expect(spans.getFinishedSpans()).toEqual([])
    instrumentation = instrumentLatchkey({ tracer, meter: meterProvider.getMeter('latchkey') })
    await sessions.close()
  })
})
