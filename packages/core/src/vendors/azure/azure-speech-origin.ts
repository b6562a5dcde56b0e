import { PatchbayError } from '../../errors/patchbay-error.js';
import { azureRegionPattern } from './azure-speech-credentials.js';

const hosts = {
  /** Text to speech: `https://{region}.tts.speech.microsoft.com`. */
  tts: 'tts.speech.microsoft.com',
  /** Speech to text REST (fast transcription): `https://{region}.api.cognitive.microsoft.com`. */
  stt: 'api.cognitive.microsoft.com',
} as const;

/**
 * The origin an Azure Speech request goes to: the configured `baseURL`, else the
 * region's host for the service. A missing region, or one that is not a region
 * name (so nothing else can reach the URL), is `not_configured` naming `region`.
 */
export function azureSpeechOrigin(
  service: keyof typeof hosts,
  where: { baseURL?: string | undefined; region?: string | undefined },
): string {
  if (where.baseURL) return where.baseURL.replace(/\/+$/, '');
  const region = where.region;
  if (region && azureRegionPattern.test(region)) return `https://${region}.${hosts[service]}`;
  throw new PatchbayError({
    code: 'not_configured',
    vendor: 'azure',
    message: region
      ? 'Azure Speech region is not a region name (letters, digits and dashes)'
      : 'Azure Speech needs a region (settings.region or AZURE_SPEECH_REGION) or a baseURL',
    details: region ? { missing: [], invalid: ['region'] } : { missing: ['region'], invalid: [] },
  });
}
