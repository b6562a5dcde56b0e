import { trace, metrics, context, SpanStatusCode } from '@opentelemetry/api';

// src/opentelemetry/opentelemetry-instrumentation.ts
function instrumentOpenTelemetry(source, options = {}) {
  const tracer = options.tracer ?? trace.getTracer("@patchbay/core");
  const meter = options.meter ?? metrics.getMeter("@patchbay/core");
  const recordTenant = options.recordTenant ?? true;
  const attempts = meter.createCounter("patchbay.attempts", {
    description: "Provider attempts made by routes",
    unit: "{attempt}"
  });
  const durations = meter.createHistogram("patchbay.attempt.duration", {
    description: "Duration of provider attempts",
    unit: "ms"
  });
  const failovers = meter.createCounter("patchbay.failovers", {
    description: "Moves from one provider to the next",
    unit: "{failover}"
  });
  const retries = meter.createCounter("patchbay.retries", {
    description: "Retries of the same provider",
    unit: "{retry}"
  });
  const breakers = meter.createCounter("patchbay.breaker.transitions", {
    description: "Circuit breaker state changes",
    unit: "{transition}"
  });
  const usage = meter.createCounter("patchbay.usage", { description: "Billing quantity by unit" });
  const cost = meter.createCounter("patchbay.cost", { description: "Priced usage (unknown prices are not counted)" });
  const tenant = (value) => recordTenant && value !== void 0 ? { "patchbay.tenant": value } : {};
  const unsubscribes = [
    source.on("attempt", (event) => {
      const attributes = {
        "patchbay.route": event.route,
        "patchbay.kind": event.kind,
        "patchbay.provider": event.provider,
        "patchbay.outcome": event.outcome,
        ...tenant(event.tenant),
        ...event.errorCode ? { "error.type": event.errorCode } : {}
      };
      attempts.add(1, attributes);
      if (event.outcome === "skipped") return;
      durations.record(event.durationMs, attributes);
      const end = Date.now();
      const span = tracer.startSpan(
        `patchbay ${event.kind} ${event.route}`,
        {
          startTime: end - event.durationMs,
          attributes: {
            ...attributes,
            "patchbay.attempt": event.attempt,
            ...event.correlationId ? { "patchbay.correlation_id": event.correlationId } : {}
          }
        },
        context.active()
      );
      if (event.outcome === "error") span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorCode });
      span.end(end);
    }),
    source.on("retry", (event) => {
      retries.add(1, {
        "patchbay.route": event.route,
        "patchbay.provider": event.provider,
        "error.type": event.errorCode
      });
    }),
    source.on("failover", (event) => {
      failovers.add(1, {
        "patchbay.route": event.route,
        "patchbay.provider": event.from,
        "error.type": event.errorCode
      });
    }),
    source.on("breaker", (event) => {
      breakers.add(1, { "patchbay.provider": event.provider, "patchbay.breaker.state": event.state });
    }),
    source.on("usage", (record) => {
      const attributes = {
        "patchbay.kind": record.kind,
        "patchbay.provider": record.provider,
        "patchbay.unit": record.unit,
        ...record.model ? { "patchbay.model": record.model } : {},
        ...tenant(record.tenant)
      };
      if (record.quantity > 0) usage.add(record.quantity, attributes);
      if (record.cost !== null && record.cost > 0)
        cost.add(record.cost, { ...attributes, "patchbay.currency": record.currency ?? "USD" });
    })
  ];
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

export { instrumentOpenTelemetry };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map