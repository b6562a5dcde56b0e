export {
  createVonageSimulator,
  type VonageDeliveryStatus,
  type VonageSimulatedMessage,
  VonageSimulator,
  type VonageSimulatorOptions,
  vonageStatusCatalog,
} from './vonage-simulator.js';
