/**
 * OpenTelemetry for latchkey: `import { instrumentLatchkey } from
 * 'latchkey/otel'`. Spans and metrics made from latchkey's diagnostics
 * channels (docs/observability.md), with the app's own `@opentelemetry/api`
 * tracer and meter; this entry imports only its types.
 * @module
 */
export {
  instrumentLatchkey,
  type LatchkeyInstrumentation,
  type LatchkeyInstrumentationOptions,
} from './instrumentation.js'
