export {
  type AfricasTalkingDeliveryStatus,
  type AfricasTalkingSimulatedMessage,
  AfricasTalkingSimulator,
  type AfricasTalkingSimulatorOptions,
  africasTalkingStatusCatalog,
  createAfricasTalkingSimulator,
} from './africas-talking-simulator.js';
