import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { audioFormatSchema, type VendorFormatTable } from '../audio-format.js';

export { azureSpeechCredentials } from '@patchbay/core/vendors/azure';

export const azureSpeechSynthesizerSettingsSchema = z.object({
  apiKey: secretInput.optional(),
  /** The Speech resource's region (`westeurope`); or AZURE_SPEECH_REGION. */
  region: z.string().min(1).optional(),
  /**
   * The synthesis origin, replacing `https://{region}.tts.speech.microsoft.com`
   * (a custom domain, a sovereign cloud, a proxy); the paths are appended.
   */
  baseURL: z.string().url().optional(),
  /** Neural voice short name used when a request names none. */
  voice: z.string().min(1).default('en-US-AvaMultilingualNeural'),
  format: audioFormatSchema.default({ encoding: 'mp3', sampleRate: 24000 }),
  /** Sent as User-Agent (Azure requires one). */
  userAgent: z.string().min(1).default('patchbay'),
});

export type AzureSpeechSynthesizerSettings = z.output<typeof azureSpeechSynthesizerSettingsSchema>;
export type AzureSpeechSynthesizerSettingsInput = z.input<typeof azureSpeechSynthesizerSettingsSchema>;

/** `X-Microsoft-OutputFormat` per encoding and sample rate (mono formats only). */
export const azureOutputFormats: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  mulaw: { 8000: 'raw-8khz-8bit-mono-mulaw' },
  alaw: { 8000: 'raw-8khz-8bit-mono-alaw' },
  pcm_s16le: {
    8000: 'raw-8khz-16bit-mono-pcm',
    16000: 'raw-16khz-16bit-mono-pcm',
    22050: 'raw-22050hz-16bit-mono-pcm',
    24000: 'raw-24khz-16bit-mono-pcm',
    44100: 'raw-44100hz-16bit-mono-pcm',
    48000: 'raw-48khz-16bit-mono-pcm',
  },
  wav: {
    8000: 'riff-8khz-16bit-mono-pcm',
    16000: 'riff-16khz-16bit-mono-pcm',
    22050: 'riff-22050hz-16bit-mono-pcm',
    24000: 'riff-24khz-16bit-mono-pcm',
    44100: 'riff-44100hz-16bit-mono-pcm',
    48000: 'riff-48khz-16bit-mono-pcm',
  },
  mp3: {
    16000: 'audio-16khz-32kbitrate-mono-mp3',
    24000: 'audio-24khz-48kbitrate-mono-mp3',
    48000: 'audio-48khz-96kbitrate-mono-mp3',
  },
  opus: {
    16000: 'ogg-16khz-16bit-mono-opus',
    24000: 'ogg-24khz-16bit-mono-opus',
    48000: 'ogg-48khz-16bit-mono-opus',
  },
};

const defaults: Record<string, number> = {
  mulaw: 8000,
  alaw: 8000,
  pcm_s16le: 24000,
  wav: 24000,
  mp3: 24000,
  opus: 24000,
};

export const azureFormats: VendorFormatTable = Object.fromEntries(
  Object.entries(azureOutputFormats).map(([encoding, rates]) => [
    encoding,
    { sampleRates: Object.keys(rates).map(Number), defaultSampleRate: defaults[encoding] },
  ]),
);

/** Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for SSML (element content and attribute values alike). */
export function escapeSsml(text: string): string {
  return text
    .replace(invalidXml, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The SSML document for one request: the caller's text is always escaped, never interpreted as markup. */
export function azureSsml(input: { text: string; voice: string; language: string; speed: number | undefined }): string {
  const body = escapeSsml(input.text);
  const spoken =
    input.speed === undefined ? body : `<prosody rate="${Math.round(input.speed * 100)}%">${body}</prosody>`;
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${escapeSsml(input.language)}">` +
    `<voice name="${escapeSsml(input.voice)}">${spoken}</voice></speak>`
  );
}
