// The provider catalogue lists every adapter this repository ships, each described well enough for an
// "add integration" form: label, docs, capabilities, credential fields with their environment variables,
// and the other settings as JSON Schema. A new adapter without a label or docs link fails here.
import { createPatchbay, type ProviderFactory } from '@patchbay/core';
import { anthropicLanguageModelFactory } from '@patchbay/llm/anthropic';
import { azureOpenaiLanguageModelFactory } from '@patchbay/llm/azure-openai';
import { bedrockLanguageModelFactory } from '@patchbay/llm/bedrock';
import { geminiLanguageModelFactory } from '@patchbay/llm/gemini';
import { openaiLanguageModelFactory } from '@patchbay/llm/openai';
import { openaiCompatibleLanguageModelFactory } from '@patchbay/llm/openai-compatible';
import { africasTalkingSmsProviderFactory } from '@patchbay/messaging/africas-talking';
import { metaWhatsAppProviderFactory } from '@patchbay/messaging/meta';
import { mtnSmsProviderFactory } from '@patchbay/messaging/mtn';
import { twilioSmsProviderFactory, twilioWhatsAppProviderFactory } from '@patchbay/messaging/twilio';
import { vonageSmsProviderFactory } from '@patchbay/messaging/vonage';
import { assemblyaiTranscriberFactory } from '@patchbay/stt/assemblyai';
import { azureTranscriberFactory } from '@patchbay/stt/azure';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { elevenlabsTranscriberFactory } from '@patchbay/stt/elevenlabs';
import { googleTranscriberFactory } from '@patchbay/stt/google';
import { openaiTranscriberFactory } from '@patchbay/stt/openai';
import { azureSpeechSynthesizerFactory } from '@patchbay/tts/azure';
import { cartesiaSpeechSynthesizerFactory } from '@patchbay/tts/cartesia';
import { deepgramSpeechSynthesizerFactory } from '@patchbay/tts/deepgram';
import { elevenlabsSpeechSynthesizerFactory } from '@patchbay/tts/elevenlabs';
import { googleSpeechSynthesizerFactory } from '@patchbay/tts/google';
import { openaiSpeechSynthesizerFactory } from '@patchbay/tts/openai';
import { describe, expect, it } from 'vitest';

const factories: ProviderFactory[] = [
  openaiLanguageModelFactory,
  azureOpenaiLanguageModelFactory,
  anthropicLanguageModelFactory,
  geminiLanguageModelFactory,
  bedrockLanguageModelFactory,
  openaiCompatibleLanguageModelFactory,
  elevenlabsSpeechSynthesizerFactory,
  openaiSpeechSynthesizerFactory,
  deepgramSpeechSynthesizerFactory,
  cartesiaSpeechSynthesizerFactory,
  azureSpeechSynthesizerFactory,
  googleSpeechSynthesizerFactory,
  deepgramTranscriberFactory,
  openaiTranscriberFactory,
  elevenlabsTranscriberFactory,
  assemblyaiTranscriberFactory,
  azureTranscriberFactory,
  googleTranscriberFactory,
  twilioSmsProviderFactory,
  twilioWhatsAppProviderFactory,
  metaWhatsAppProviderFactory,
  vonageSmsProviderFactory,
  africasTalkingSmsProviderFactory,
  mtnSmsProviderFactory,
];

describe('provider catalogue of every shipped adapter', () => {
  const patchbay = createPatchbay({ factories, env: false, config: { providers: {} } });
  const entries = patchbay.catalogue();

  it('lists each factory once, with a label, a documentation link and its capabilities', () => {
    expect(entries.map((entry) => `${entry.kind}:${entry.vendor}`).sort()).toEqual(
      factories.map((factory) => `${factory.kind}:${factory.vendor}`).sort(),
    );
    for (const entry of entries) {
      expect(entry.label, `${entry.kind}:${entry.vendor}`).not.toBe(entry.vendor);
      expect(String(entry.docsUrl), `${entry.kind}:${entry.vendor}`).toMatch(/^https:\/\//);
      expect(entry.capabilities, `${entry.kind}:${entry.vendor}`).toBeTypeOf('object');
    }
  });

  it('names every credential field with its environment variables and whether it is secret', () => {
    for (const entry of entries) {
      expect(entry.credentials.length, `${entry.kind}:${entry.vendor}`).toBeGreaterThan(0);
      for (const field of entry.credentials) {
        expect(field.name).toMatch(/^[a-zA-Z]+$/);
        expect(typeof field.secret).toBe('boolean');
        expect(Array.isArray(field.env)).toBe(true);
      }
      // A key-less local preset aside, every vendor has at least one secret field.
      expect(
        entry.credentials.some((field) => field.secret),
        `${entry.kind}:${entry.vendor}`,
      ).toBe(true);
    }
  });

  it('describes the other settings as JSON Schema objects without the credential fields', () => {
    for (const entry of entries) {
      const schema = entry.settings as { type?: string; properties?: Record<string, unknown> } | undefined;
      expect(schema?.type, `${entry.kind}:${entry.vendor}`).toBe('object');
      for (const field of entry.credentials) expect(schema?.properties ?? {}).not.toHaveProperty(field.name);
    }
  });

  it('never carries a secret value: the catalogue is the same whatever the environment holds', () => {
    const withSecrets = createPatchbay({
      factories,
      env: { OPENAI_API_KEY: 'sk-canary-catalogue', TWILIO_AUTH_TOKEN: 'canary-token' },
      config: { providers: {} },
    });
    const text = JSON.stringify(withSecrets.catalogue());
    expect(text).not.toContain('canary');
  });
});
