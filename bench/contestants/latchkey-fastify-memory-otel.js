// A reference: latchkey-fastify-memory with latchkey/otel on an OpenTelemetry
// SDK (spans through a batch processor, metrics aggregated in memory). The
// exporter drops what it is given, so sending telemetry over the network is
// not measured, only what making it costs the request.

import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { instrumentLatchkey } from 'latchkey/otel'
import { MemoryStore } from 'latchkey/stores/memory'
import { latchkeyFastify } from '../lib/apps.js'

/** @type {import('@opentelemetry/sdk-trace-base').SpanExporter} */
const dropped = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
}

/** @type {import('@opentelemetry/sdk-metrics').PushMetricExporter} */
const droppedMetrics = {
  export: (_metrics, done) => done({ code: 0 }),
  forceFlush: async () => {},
  shutdown: async () => {},
}

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-memory-otel',
  label: 'latchkey + MemoryStore (Fastify), latchkey/otel on',
  baseline: 'fastify-bare',
  create() {
    const tracer = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(dropped)],
    }).getTracer('latchkey')
    const reader = new PeriodicExportingMetricReader({
      exporter: droppedMetrics,
      exportIntervalMillis: 60_000,
    })
    const meter = new MeterProvider({ readers: [reader] }).getMeter('latchkey')
    instrumentLatchkey({ tracer, meter })
    return latchkeyFastify(new MemoryStore())
  },
}
