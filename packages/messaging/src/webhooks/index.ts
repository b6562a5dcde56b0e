export {
  type AfricasTalkingWebhookHandlerOptions,
  AfricasTalkingWebhookParseError,
  createAfricasTalkingWebhookHandler,
  parseAfricasTalkingWebhook,
} from '../africas-talking/africas-talking-webhook.js';
export {
  computeMetaSignature,
  createMetaWebhookHandler,
  type MetaAppSecretResolution,
  type MetaWebhookHandlerOptions,
  MetaWebhookParseError,
  parseMetaWebhook,
  verifyMetaSignature,
} from '../meta/meta-webhook.js';
export {
  computeTwilioSignature,
  createTwilioWebhookHandler,
  parseTwilioWebhook,
  type TwilioAuthTokenResolution,
  type TwilioParams,
  type TwilioWebhookHandlerOptions,
  TwilioWebhookParseError,
  type TwilioWebhookRequestContext,
  twilioUrlCandidates,
  type VerifyTwilioSignatureInput,
  verifyTwilioSignature,
} from '../twilio/twilio-webhook.js';
export {
  computeVonageSignature,
  createVonageWebhookHandler,
  parseVonageWebhook,
  type VerifyVonageSignatureOptions,
  type VonageSignatureMethod,
  type VonageSignatureSecretResolution,
  type VonageWebhookHandlerOptions,
  VonageWebhookParseError,
  verifyVonageSignature,
} from '../vonage/vonage-webhook.js';
export {
  defaultMaxFormParameters,
  type FormParams,
  FormParseError,
  firstParam,
  type ParseFormParamsOptions,
  parseFormParams,
  parseJsonParams,
} from './form-params.js';
export { type NodeWebhookListenerOptions, toNodeListener } from './node-http.js';
export type {
  DeliveryStatusEvent,
  InboundMedia,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventContext,
  WebhookEventListener,
} from './webhook-events.js';
export { isEmptySecret, type WebhookHandler } from './webhook-http.js';
