import type { CallOptions, LanguageModelTool, LanguageModelToolCall } from '@patchbay/core';
import { PatchbayError } from '@patchbay/core/adapter';
import { tool } from '@patchbay/llm';
import { z } from 'zod';
import type { DualChannelMessenger } from '../dual-channel/dual-channel-messenger.js';

/** A tool definition for a language model, with the executor that runs it through the messenger. */
export interface MessagingTool extends LanguageModelTool {
  /** Validates the model's arguments and runs the tool; bad arguments throw `invalid_request` naming the field. */
  execute(input: unknown, options?: CallOptions): Promise<unknown>;
}

export interface MessagingToolsOptions {
  /** Tenant and correlation id every send carries (the call's own options win). */
  defaults?: Pick<CallOptions, 'tenant' | 'correlationId'> | undefined;
  /** Country for numbers the model writes in national format (`RW`). */
  defaultCountry?: string | undefined;
  /** Prefix for tool names (default none): `send_whatsapp`, `send_sms`, `send_message`, `check_whatsapp`. */
  namePrefix?: string | undefined;
}

const sendInput = z.object({
  to: z.string().min(3).describe('Recipient phone number, preferably in international format (+250788123456)'),
  message: z.string().min(1).max(1600).describe('The text to send'),
  idempotency_key: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Optional: the same key for a retried send of the same message, so it is delivered once'),
});

const checkInput = z.object({
  to: z.string().min(3).describe('Phone number to check, preferably in international format'),
});

function parseInput<T>(schema: z.ZodType<T>, input: unknown, toolName: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || '(input)';
  throw new PatchbayError({
    code: 'invalid_request',
    message: `Tool ${toolName}: ${field}: ${issue?.message ?? 'invalid arguments'}`,
    details: { field, tool: toolName },
  });
}

/**
 * LLM tools over a dual-channel messenger (seed 001's `messaging-tools.ts`): send a WhatsApp message,
 * send an SMS, send by WhatsApp or SMS (the messenger's routing and fallback), and check whether a
 * contact has WhatsApp. Every send goes through the messenger, so opt-outs, the 24-hour window,
 * idempotency keys, the delivery log and sessions apply to what the model does.
 */
export function messagingTools(messenger: DualChannelMessenger, options: MessagingToolsOptions = {}): MessagingTool[] {
  const prefix = options.namePrefix ?? '';
  const callOptionsOf = (call: CallOptions | undefined): CallOptions => ({ ...options.defaults, ...call });

  const sender = (name: string, description: string, channel: 'whatsapp' | 'sms' | undefined): MessagingTool => ({
    ...tool({ name: `${prefix}${name}`, description, parameters: sendInput }),
    async execute(input, call) {
      const args = parseInput(sendInput, input, `${prefix}${name}`);
      const result = await messenger.send(
        {
          to: args.to,
          body: args.message,
          idempotencyKey: args.idempotency_key,
          defaultCountry: options.defaultCountry,
        },
        { ...callOptionsOf(call), channel },
      );
      // What the model needs to reason about the outcome, without vendor internals.
      return result.status === 'sent'
        ? { status: 'sent', channel: result.channel, to: result.to, messageId: result.result.messageId }
        : { status: 'skipped', reason: result.reason, to: result.to };
    },
  });

  return [
    sender(
      'send_whatsapp',
      'Send a WhatsApp message to a contact (only if they have WhatsApp and can receive it now).',
      'whatsapp',
    ),
    sender('send_sms', 'Send an SMS text message to a contact; works on any phone.', 'sms'),
    sender(
      'send_message',
      'Send a message by WhatsApp when the contact can receive it there, otherwise by SMS.',
      undefined,
    ),
    {
      ...tool({
        name: `${prefix}check_whatsapp`,
        description: 'Check whether a contact has WhatsApp, can get a WhatsApp message now, and accepts SMS.',
        parameters: checkInput,
      }),
      async execute(input, call) {
        const args = parseInput(checkInput, input, `${prefix}check_whatsapp`);
        const check = await messenger.checkRecipient(args.to, {
          tenant: callOptionsOf(call).tenant,
          defaultCountry: options.defaultCountry,
        });
        return {
          to: check.to,
          hasWhatsApp: check.hasWhatsApp,
          canReceiveWhatsAppNow: check.whatsappSessionOpen && check.allowsWhatsApp && !check.optedOut,
          acceptsSms: check.allowsSms && !check.optedOut,
          lastActiveChannel: check.lastActiveChannel ?? null,
        };
      },
    },
  ];
}

/** Runs one tool call the model made; an unknown tool name is `invalid_request`. */
export async function executeMessagingToolCall(
  tools: readonly MessagingTool[],
  call: LanguageModelToolCall,
  options?: CallOptions,
): Promise<unknown> {
  const found = tools.find((candidate) => candidate.name === call.toolName);
  if (found === undefined) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: `Unknown tool ${call.toolName}`,
      details: { field: 'toolName', tool: call.toolName },
    });
  }
  return found.execute(call.input, options);
}
