import { Tracer, Meter } from '@opentelemetry/api';
import { P as PatchbayEvents } from '../routing-events-tEXyk4_G.js';
import '../error-codes-Dl_-ZDZA.js';
import 'zod';
import '../usage-C1uSLdYd.js';
import '../provider-BZKWBVCw.js';

/** Anything with Patchbay's event subscription: a `Patchbay` instance. */
interface PatchbayEventSource {
    on<K extends keyof PatchbayEvents>(type: K, listener: (event: PatchbayEvents[K]) => void): () => void;
}
interface OpenTelemetryOptions {
    /** Defaults to the global tracer provider's `@patchbay/core` tracer. */
    tracer?: Tracer | undefined;
    /** Defaults to the global meter provider's `@patchbay/core` meter. */
    meter?: Meter | undefined;
    /** Whether to put the tenant id on spans and metrics (default true; turn off if tenant ids are sensitive). */
    recordTenant?: boolean | undefined;
}
/**
 * Turns Patchbay's events into OpenTelemetry spans and metrics. Events are
 * emitted inside the caller's async context, so each attempt span becomes a
 * child of whatever span is active around the call. Nothing is added to the
 * call path itself; without a registered SDK the API is a no-op. Returns a
 * function that stops the instrumentation.
 */
declare function instrumentOpenTelemetry(source: PatchbayEventSource, options?: OpenTelemetryOptions): () => void;

export { type OpenTelemetryOptions, type PatchbayEventSource, instrumentOpenTelemetry };
