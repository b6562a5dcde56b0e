import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The naming table (issue 11): one vendor casing and one `<vendor><Kind>` pattern in every kind package.
const root = join(import.meta.dirname, '../../../..');
const vendors: Record<string, { brand: string; camel: string }> = {
  openai: { brand: 'OpenAI', camel: 'openai' },
  'openai-compatible': { brand: 'OpenAICompatible', camel: 'openaiCompatible' },
  'azure-openai': { brand: 'AzureOpenAI', camel: 'azureOpenai' },
  bedrock: { brand: 'Bedrock', camel: 'bedrock' },
  anthropic: { brand: 'Anthropic', camel: 'anthropic' },
  gemini: { brand: 'Gemini', camel: 'gemini' },
  elevenlabs: { brand: 'ElevenLabs', camel: 'elevenlabs' },
  deepgram: { brand: 'Deepgram', camel: 'deepgram' },
  assemblyai: { brand: 'AssemblyAI', camel: 'assemblyai' },
  twilio: { brand: 'Twilio', camel: 'twilio' },
  meta: { brand: 'Meta', camel: 'meta' },
  vonage: { brand: 'Vonage', camel: 'vonage' },
  'africas-talking': { brand: 'AfricasTalking', camel: 'africasTalking' },
  mtn: { brand: 'Mtn', camel: 'mtn' },
  cartesia: { brand: 'Cartesia', camel: 'cartesia' },
  azure: { brand: 'Azure', camel: 'azure' },
  google: { brand: 'Google', camel: 'google' },
};
const kinds: Record<string, string[]> = {
  llm: ['LanguageModel'],
  tts: ['SpeechSynthesizer'],
  stt: ['Transcriber'],
  messaging: ['SmsProvider', 'WhatsAppProvider', 'MessagingProvider'],
};
/** Besides the naming pattern, a subpath may export only these (webhook helpers live with their vendor). */
const extras: Record<string, RegExp> = {
  'messaging/twilio': /Webhook|Signature|^TwilioParams$|^TwilioAuthTokenResolution$/,
  'messaging/meta': /Webhook|Signature|^MetaAppSecretResolution$/,
  'messaging/africas-talking': /^africasTalking(Sandbox|Production)BaseURL$/,
  'messaging/mtn': /Webhook/,
};

function vendorEntries(): { subpath: string; vendor: string; kind: string; file: string }[] {
  return Object.keys(kinds).flatMap((kind) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', kind, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    return Object.keys(manifest.exports)
      .map((subpath) => subpath.slice(2))
      .filter((vendor) => vendor in vendors)
      .map((vendor) => ({
        subpath: `${kind}/${vendor}`,
        vendor,
        kind,
        file: join(root, 'packages', kind, 'src', vendor, 'index.ts'),
      }));
  });
}

/** Every name an entry exports, types included. */
function exportedNames(files: string[]): Map<string, string[]> {
  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, root);
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  return new Map(
    files.map((file) => {
      const source = program.getSourceFile(file);
      const symbol = source && checker.getSymbolAtLocation(source);
      return [file, symbol ? checker.getExportsOfModule(symbol).map((exported) => exported.name) : []];
    }),
  );
}

function follows(name: string, vendor: { brand: string; camel: string }, kindNames: string[]): boolean {
  return kindNames.some(
    (kind) =>
      name === `${vendor.camel}${kind}Factory` ||
      name === `create${vendor.brand}${kind}` ||
      name === `${vendor.brand}${kind}` ||
      name === `${vendor.brand}${kind}Settings` ||
      name === `${vendor.brand}${kind}Options` ||
      name === `${vendor.camel}Credentials`,
  );
}

describe('vendor subpaths follow the naming table', () => {
  const entries = vendorEntries();
  const names = exportedNames(entries.map((entry) => entry.file));

  it('finds every vendor subpath', () => {
    expect(entries.map((entry) => entry.subpath)).toEqual(
      expect.arrayContaining(['llm/openai', 'tts/elevenlabs', 'stt/deepgram', 'messaging/twilio']),
    );
  });

  it.each(entries)(
    '$subpath exports only <vendor><Kind>Factory, create<Vendor><Kind>, <Vendor><Kind>Settings …',
    (entry) => {
      const vendor = vendors[entry.vendor] as { brand: string; camel: string };
      const kindNames = kinds[entry.kind] as string[];
      const exported = names.get(entry.file) ?? [];
      expect(exported.length).toBeGreaterThan(0);
      const offenders = exported.filter(
        (name) => !follows(name, vendor, kindNames) && !extras[entry.subpath]?.test(name),
      );
      expect(offenders).toEqual([]);
      // Every subpath has its factory and its create function.
      expect(exported.some((name) => name.endsWith('Factory'))).toBe(true);
      expect(exported.some((name) => name.startsWith('create'))).toBe(true);
    },
  );
});
