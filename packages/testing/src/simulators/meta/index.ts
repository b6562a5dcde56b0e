export {
  createMetaSimulator,
  type MetaMessageStatus,
  type MetaSimulatedMessage,
  MetaSimulator,
  type MetaSimulatorOptions,
  metaErrorCatalog,
  metaSignature,
} from './meta-simulator.js';
