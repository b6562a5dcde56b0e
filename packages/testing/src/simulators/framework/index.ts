export {
  type Fault,
  type RecordedRequest,
  type SimulatorExchange,
  type SimulatorHandler,
  type SimulatorRoute,
  sendChunks,
  sendEventStream,
  sendJson,
  VendorSimulator,
  type VendorSimulatorOptions,
} from './vendor-simulator.js';
