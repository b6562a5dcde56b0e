import { createOpenAILanguageModel } from '@patchbay/llm/openai';
import { MockMessagingProvider } from '@patchbay/testing';
import { createOpenAISimulator, type LanguageModelSimulator } from '@patchbay/testing/simulators/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { createDualChannelMessenger } from '../dual-channel/dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from '../dual-channel/recipient-preferences.js';
import { executeMessagingToolCall, messagingTools } from './messaging-tools.js';

const customer = '+250788123456';

function setup() {
  const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.T' } });
  const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.T' } });
  const preferences = new InMemoryRecipientPreferences({ [customer]: { hasWhatsApp: false, allowsSms: true } });
  const deliveryLog = new InMemoryDeliveryLog();
  const messenger = createDualChannelMessenger({ whatsapp, sms, preferences, deliveryLog });
  return { whatsapp, sms, preferences, deliveryLog, messenger };
}

describe('messagingTools', () => {
  it('defines four tools with JSON Schema parameters', () => {
    const tools = messagingTools(setup().messenger);
    expect(tools.map((item) => item.name)).toEqual(['send_whatsapp', 'send_sms', 'send_message', 'check_whatsapp']);
    expect(tools[0]?.parameters).toMatchObject({ type: 'object', required: ['to', 'message'] });
  });

  it('sends through the messenger: channel restriction, opt-out and idempotency apply', async () => {
    const { whatsapp, sms, preferences, messenger } = setup();
    const tools = messagingTools(messenger, { defaultCountry: 'RW' });
    const call = (toolName: string, input: unknown) =>
      executeMessagingToolCall(tools, { toolCallId: 'c', toolName, input });
    expect(await call('send_whatsapp', { to: customer, message: 'hi' })).toEqual({
      status: 'skipped',
      reason: 'no_eligible_channel',
      to: customer,
    });
    expect(whatsapp.calls).toHaveLength(0);
    expect(await call('send_sms', { to: '0788 123 456', message: 'hi', idempotency_key: 'k1' })).toMatchObject({
      status: 'sent',
      channel: 'sms',
      messageId: 'SM.T',
    });
    await call('send_sms', { to: customer, message: 'hi', idempotency_key: 'k1' });
    expect(sms.calls).toHaveLength(1);
    preferences.update(customer, { optedOut: true });
    expect(await call('send_message', { to: customer, message: 'promo' })).toMatchObject({
      status: 'skipped',
      reason: 'opted_out',
    });
    expect(await call('check_whatsapp', { to: customer })).toEqual({
      to: customer,
      hasWhatsApp: false,
      canReceiveWhatsAppNow: false,
      acceptsSms: false,
      lastActiveChannel: null,
    });
  });

  it('refuses bad arguments and unknown tools with invalid_request naming the field', async () => {
    const tools = messagingTools(setup().messenger);
    await expect(
      executeMessagingToolCall(tools, { toolCallId: 'c', toolName: 'send_sms', input: { to: customer } }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'message' },
    });
    await expect(
      executeMessagingToolCall(tools, { toolCallId: 'c', toolName: 'call_police', input: {} }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});

describe('an LLM that decides to text the customer (OpenAI simulator)', () => {
  let simulator: LanguageModelSimulator;
  beforeEach(async () => {
    simulator = await createOpenAISimulator().start();
  });
  afterEach(() => simulator.close());

  it('gets the tools, calls send_sms, and the SMS goes out through the messenger and its log', async () => {
    const { sms, deliveryLog, messenger } = setup();
    const tools = messagingTools(messenger, { defaults: { tenant: 'easymo', correlationId: 'call-42' } });
    const model = createOpenAILanguageModel({
      apiKey: 'test-key',
      baseURL: `${simulator.url}/v1`,
      model: 'gpt-4o-mini',
      env: {},
    });
    simulator.respondWith({
      toolCalls: [
        {
          id: 'call_1',
          name: 'send_sms',
          arguments: { to: customer, message: 'Summary of your call: refund approved.' },
        },
      ],
    });
    const result = await model.generate({
      messages: [{ role: 'user', content: 'The call ended. The customer has no WhatsApp; text them the summary.' }],
      tools: tools.map(({ name, description, parameters }) => ({ name, description, parameters })),
    });
    const [chatRequest] = simulator.requestsTo('/v1/chat/completions');
    const requestTools = (chatRequest?.json as { tools?: Array<{ function: { name: string } }> } | undefined)?.tools;
    expect(requestTools?.map((item) => item.function.name)).toEqual([
      'send_whatsapp',
      'send_sms',
      'send_message',
      'check_whatsapp',
    ]);
    expect(result.toolCalls).toHaveLength(1);
    const outputs = await Promise.all(result.toolCalls.map((call) => executeMessagingToolCall(tools, call)));
    expect(outputs).toEqual([{ status: 'sent', channel: 'sms', to: customer, messageId: 'SM.T' }]);
    expect(sms.sent).toEqual([
      expect.objectContaining({ to: customer, body: 'Summary of your call: refund approved.' }),
    ]);
    expect(await deliveryLog.list({ tenant: 'easymo', correlationId: 'call-42' })).toHaveLength(1);
  });
});
