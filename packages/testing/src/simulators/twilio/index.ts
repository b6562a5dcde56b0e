export {
  createTwilioSimulator,
  type TwilioMessageStatus,
  type TwilioSimulatedMessage,
  TwilioSimulator,
  type TwilioSimulatorOptions,
  twilioErrorCatalog,
  twilioSignature,
} from './twilio-simulator.js';
