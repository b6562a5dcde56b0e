import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { validateLanguageModelRequest } from './language-model-request.js';
import { validateMessageRequest } from './message-request.js';
import { validateSpeechRequest } from './speech-request.js';
import { validateTranscriptionRequest } from './transcription-request.js';

function refusal(check: () => void): PatchbayError {
  try {
    check();
  } catch (error) {
    expect(PatchbayError.isInstance(error)).toBe(true);
    return error as PatchbayError;
  }
  throw new Error('expected the request to be refused');
}

function paths(error: PatchbayError): string[] {
  return ((error.details?.issues ?? []) as { path: string }[]).map((issue) => issue.path);
}

describe('request validators', () => {
  it('accept well-formed requests of every kind', () => {
    validateLanguageModelRequest({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: '1', toolName: 'f', input: {} }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: '1', toolName: 'f', output: 'ok' }] },
      ],
      tools: [{ name: 'f', parameters: { type: 'object' } }],
    });
    validateSpeechRequest({ text: 'hi', voice: 'alloy', format: { encoding: 'mulaw', sampleRate: 8000 } });
    validateTranscriptionRequest({ audio: new Uint8Array(4), mimeType: 'audio/wav' });
    validateTranscriptionRequest({ audio: { url: 'https://example.com/a.wav' } });
    validateMessageRequest({ to: '+250788123456', body: 'hi' });
    validateMessageRequest({ to: '+250788123456', template: { name: 'welcome', language: 'en_US' } });
  });

  it('name the field of a malformed LLM request', () => {
    const error = refusal(() => validateLanguageModelRequest({ messages: [{ role: 'user', content: null }] }));
    expect(error.code).toBe('invalid_request');
    expect(paths(error)).toContain('messages.0.content');
    expect(paths(refusal(() => validateLanguageModelRequest({ messages: [] })))).toContain('messages');
    expect(
      paths(refusal(() => validateLanguageModelRequest({ messages: [{ role: 'user', content: 'x' }], tools: [{}] }))),
    ).toContain('tools.0.name');
  });

  it('name the field of malformed TTS, STT and messaging requests', () => {
    expect(paths(refusal(() => validateSpeechRequest({ text: 5 })))).toContain('text');
    expect(paths(refusal(() => validateSpeechRequest({ text: 'x', format: { encoding: 'wma' } })))).toContain(
      'format.encoding',
    );
    expect(paths(refusal(() => validateTranscriptionRequest({ audio: 'file.wav' })))).toContain('audio');
    expect(paths(refusal(() => validateMessageRequest({ to: '+250788123456', body: 42 })))).toContain('body');
    expect(paths(refusal(() => validateMessageRequest({ to: '+250788123456' })))).toContain('body');
    expect(
      paths(refusal(() => validateMessageRequest({ to: '+250788123456', media: [{ url: 'not a url' }] }))),
    ).toContain('media.0.url');
    expect(paths(refusal(() => validateMessageRequest({ to: '+250788123456', template: { name: 'x' } })))).toContain(
      'template.language',
    );
  });
});
