import type { CallWarning } from '@patchbay/core';
import type { ChatParams } from '../shared/chat-completions-request.js';

/** Body fields a vendor rejects (or silently ignores), dropped with a warning instead. */
interface DroppedFields {
  /** Only for models whose id matches (DeepSeek's reasoner), else every model. */
  models?: RegExp | undefined;
  fields: readonly string[];
  reason: string;
}

/** What a preset knows about one OpenAI-compatible vendor. */
export interface OpenAICompatiblePresetInfo {
  /** The vendor's name, for messages and the catalogue. */
  label: string;
  baseURL: string;
  /** The environment variable the key comes from (after settings and the tenant store). */
  apiKeyEnv: string;
  /** Hosted vendors need a key (missing: `not_configured` before any request); a local server does not. */
  apiKeyRequired: boolean;
  /** The model used when neither settings nor the request name one. */
  defaultModel: string;
  dropped: readonly DroppedFields[];
}

/**
 * The presets, from each vendor's OpenAI-compatibility documentation. Every
 * preset sends the key as `Authorization: Bearer` (all of them take it so).
 */
export const openaiCompatiblePresets = {
  groq: {
    label: 'Groq',
    baseURL: 'https://api.groq.com/openai/v1',
    apiKeyEnv: 'GROQ_API_KEY',
    apiKeyRequired: true,
    defaultModel: 'llama-3.3-70b-versatile',
    // "will result in a 400 error if supplied" (console.groq.com/docs/openai); `n` must be 1.
    dropped: [{ fields: ['logprobs', 'top_logprobs', 'logit_bias'], reason: 'Groq answers 400 to it' }],
  },
  mistral: {
    label: 'Mistral',
    baseURL: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    apiKeyRequired: true,
    defaultModel: 'mistral-small-latest',
    dropped: [],
  },
  together: {
    label: 'Together AI',
    baseURL: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
    apiKeyRequired: true,
    defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    dropped: [],
  },
  deepseek: {
    label: 'DeepSeek',
    baseURL: 'https://api.deepseek.com/v1',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    apiKeyRequired: true,
    defaultModel: 'deepseek-chat',
    dropped: [
      // The reasoner accepts these and ignores them: a warning tells the caller they had no effect.
      {
        models: /^deepseek-reasoner/,
        fields: ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty'],
        reason: 'deepseek-reasoner ignores it',
      },
      { models: /^deepseek-reasoner/, fields: ['logprobs', 'top_logprobs'], reason: 'deepseek-reasoner rejects it' },
    ],
  },
  openrouter: {
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    apiKeyRequired: true,
    defaultModel: 'openrouter/auto',
    dropped: [],
  },
  fireworks: {
    label: 'Fireworks AI',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: 'FIREWORKS_API_KEY',
    apiKeyRequired: true,
    defaultModel: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
    dropped: [],
  },
  ollama: {
    label: 'Ollama (local)',
    baseURL: 'http://localhost:11434/v1',
    // Only for Ollama's hosted API; a local server takes no key.
    apiKeyEnv: 'OLLAMA_API_KEY',
    apiKeyRequired: false,
    defaultModel: 'llama3.2',
    // Not among the request fields Ollama's OpenAI compatibility supports.
    dropped: [{ fields: ['tool_choice', 'logit_bias', 'user', 'n'], reason: 'Ollama does not support it' }],
  },
} as const satisfies Record<string, OpenAICompatiblePresetInfo>;

export type OpenAICompatiblePresetName = keyof typeof openaiCompatiblePresets;

export const presetNames = Object.keys(openaiCompatiblePresets) as OpenAICompatiblePresetName[];

/** The request's name for a body field, so a warning names what the caller set. */
const settingNames: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'topP',
  tool_choice: 'toolChoice',
  max_tokens: 'maxOutputTokens',
  stop: 'stopSequences',
};

/** Drops what the preset's vendor cannot take, with one warning per field; `n` other than 1 for Groq too. */
export function applyPresetQuirks(
  preset: OpenAICompatiblePresetName,
  params: ChatParams,
  warnings: CallWarning[],
): void {
  const info: OpenAICompatiblePresetInfo = openaiCompatiblePresets[preset];
  const body = params as unknown as Record<string, unknown>;
  const drop = (field: string, reason: string) => {
    delete body[field];
    warnings.push({
      type: 'unsupported-setting',
      setting: settingNames[field] ?? `providerOptions.openai-compatible.${field}`,
      message: `${field} was not sent: ${reason}`,
    });
  };
  for (const rule of info.dropped) {
    if (rule.models && !rule.models.test(params.model)) continue;
    for (const field of rule.fields) if (body[field] !== undefined) drop(field, rule.reason);
  }
  if (preset === 'groq' && body.n !== undefined && body.n !== 1) drop('n', 'Groq takes only n = 1');
}
