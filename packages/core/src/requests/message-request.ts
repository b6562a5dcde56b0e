import { z } from 'zod';
import { schemaOnFirstUse } from '../config/lazy-schema.js';
import type { OutboundMessage } from '../spec/messaging-provider.js';
import { checkRequest } from './request-error.js';

// Built on first use: constructing zod schemas is most of a cold import's own cost.
const messageRequestSchema = schemaOnFirstUse(() => {
  return z
    .object({
      to: z.string().min(1, 'a recipient is needed'),
      body: z.string().optional(),
      media: z
        .array(z.object({ url: z.url(), mimeType: z.string().optional(), caption: z.string().optional() }))
        .optional(),
      from: z.string().min(1).optional(),
      statusCallbackUrl: z.url().optional(),
      idempotencyKey: z.string().min(1).max(256).optional(),
      template: z
        .object({
          name: z.string().min(1),
          language: z.string().min(1),
          parameters: z.array(z.string()).optional(),
          components: z.array(z.unknown()).optional(),
        })
        .optional(),
      defaultCountry: z.string().length(2).optional(),
      providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    })
    .refine((message) => message.body !== undefined || message.media?.length || message.template, {
      message: 'a message needs a body, media or a template',
      path: ['body'],
    });
});

/** Throws `invalid_request` naming the field (e.g. `body`) when the message is malformed. */
export function validateMessageRequest(request: unknown): asserts request is OutboundMessage {
  checkRequest(messageRequestSchema(), request, 'message');
}
