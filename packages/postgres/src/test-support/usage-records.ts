// One usage record as the store tests write it: an LLM call's input tokens for tenant-a, overridable per field.
import type { UsageRecord } from '@patchbay/core';

export function usageRecord(timestamp: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    tenant: 'tenant-a',
    kind: 'llm',
    provider: 'openai',
    vendor: 'openai',
    model: 'gpt-4o-mini',
    unit: 'input_tokens',
    quantity: 10,
    cost: 0.5,
    currency: 'USD',
    latencyMs: 100,
    outcome: 'success',
    errorCode: undefined,
    correlationId: undefined,
    route: undefined,
    attempt: 1,
    timestamp,
    ...overrides,
  };
}
