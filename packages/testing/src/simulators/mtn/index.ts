export {
  createMtnSimulator,
  type MtnDeliveryStatus,
  type MtnScriptedFailure,
  type MtnSimulatedMessage,
  MtnSimulator,
  type MtnSimulatorOptions,
} from './mtn-simulator.js';
