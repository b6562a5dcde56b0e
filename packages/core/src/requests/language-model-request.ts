import { z } from 'zod';
import { schemaOnFirstUse } from '../config/lazy-schema.js';
import type { LanguageModelRequest } from '../spec/language-model.js';
import { checkRequest } from './request-error.js';

// Built on first use: constructing zod schemas is most of a cold import's own cost.
const languageModelRequestSchema = schemaOnFirstUse(() => {
  const bytes = z.instanceof(Uint8Array);
  const textPart = z.object({ type: z.literal('text'), text: z.string() });
  const imagePart = z.object({
    type: z.literal('image'),
    image: z.union([z.string().min(1), bytes]),
    mimeType: z.string().optional(),
  });
  const toolCallPart = z.object({
    type: z.literal('tool-call'),
    toolCallId: z.string().min(1),
    toolName: z.string().min(1),
    input: z.unknown(),
  });
  const toolResultPart = z.object({
    type: z.literal('tool-result'),
    toolCallId: z.string().min(1),
    toolName: z.string().min(1),
    output: z.unknown(),
    isError: z.boolean().optional(),
  });

  const message = z.discriminatedUnion('role', [
    z.object({ role: z.literal('system'), content: z.string() }),
    z.object({
      role: z.literal('user'),
      content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart]))]),
    }),
    z.object({
      role: z.literal('assistant'),
      content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, toolCallPart]))]),
    }),
    z.object({ role: z.literal('tool'), content: z.array(toolResultPart) }),
  ]);

  const jsonSchema = z.record(z.string(), z.unknown());

  return z.object({
    messages: z.array(message).min(1, 'at least one message is needed'),
    model: z.string().min(1).optional(),
    tools: z
      .array(z.object({ name: z.string().min(1), description: z.string().optional(), parameters: jsonSchema }))
      .optional(),
    toolChoice: z
      .union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('tool'), toolName: z.string().min(1) })])
      .optional(),
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    stopSequences: z.array(z.string()).optional(),
    responseFormat: z
      .union([
        z.object({ type: z.literal('text') }),
        z.object({
          type: z.literal('json'),
          schema: jsonSchema.optional(),
          name: z.string().optional(),
          description: z.string().optional(),
        }),
      ])
      .optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  });
});

/**
 * The shape most calls have — text messages and at most a model name — accepted without running the schema
 * (which copies every message). Anything this does not accept goes through the full schema; it never accepts
 * what the schema would refuse.
 */
function isPlainTextRequest(request: unknown): boolean {
  if (typeof request !== 'object' || request === null) return false;
  const candidate = request as { messages?: unknown; model?: unknown };
  const messages = candidate.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  let keys = 0;
  for (const key in candidate) {
    keys++;
    if (key !== 'messages' && key !== 'model') return false;
  }
  if (keys === 2 && !(typeof candidate.model === 'string' && candidate.model.length > 0)) return false;
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) return false;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof content !== 'string' || (role !== 'user' && role !== 'system' && role !== 'assistant')) return false;
  }
  return true;
}

/** Throws `invalid_request` naming the field (e.g. `messages.0.content`) when the request is malformed. */
export function validateLanguageModelRequest(request: unknown): asserts request is LanguageModelRequest {
  if (isPlainTextRequest(request)) return;
  checkRequest(languageModelRequestSchema(), request, 'language model request');
}
