export {
  instrumentOpenTelemetry,
  type OpenTelemetryOptions,
  type PatchbayEventSource,
} from './opentelemetry-instrumentation.js';
