export { InMemoryUsageAggregator, type UsageSummaryRow } from './in-memory-usage-aggregator.js';
export { type PriceLookup, PriceTable, type UnitPrice } from './price-table.js';
export { type ReportedCost, reportedCostRecord } from './reported-cost.js';
export { type MeterInput, UsageMeter } from './usage-meter.js';
export { toUsageListener, type UsageSink } from './usage-sink.js';
