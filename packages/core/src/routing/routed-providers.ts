import { PatchbayError } from '../errors/patchbay-error.js';
import { validateLanguageModelRequest } from '../requests/language-model-request.js';
import { validateMessageRequest } from '../requests/message-request.js';
import { validateSpeechRequest } from '../requests/speech-request.js';
import { validateTranscriptionRequest } from '../requests/transcription-request.js';
import type {
  LanguageModel,
  LanguageModelCapabilities,
  LanguageModelRequest,
  LanguageModelResult,
  LanguageModelStreamPart,
  LanguageModelStreamResult,
} from '../spec/language-model.js';
import type {
  MessagingCapabilities,
  MessagingProvider,
  OutboundMessage,
  SendResult,
} from '../spec/messaging-provider.js';
import type {
  BaseProvider,
  CallOptions,
  HealthResult,
  ProviderKind,
  RedactedConfig,
  TestOptions,
} from '../spec/provider.js';
import type {
  SpeechRequest,
  SpeechResult,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechSynthesizerCapabilities,
  SpeechTextStreamOptions,
  SpeechTextStreamResult,
  Voice,
} from '../spec/speech-synthesizer.js';
import type {
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  Transcriber,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
} from '../spec/transcriber.js';
import type { UsageQuantity, UsageUnit } from '../spec/usage.js';
import { invalidLiveFailover } from './live-failover-options.js';
import { type IdentifierPlan, planIdentifiers } from './route-aliases.js';
import type { Operation, ResolvedRoute, RouteExecutor, RouteMember } from './route-executor.js';
import { type LiveMemberSession, RoutedLiveTranscription } from './routed-live-transcription.js';
import { routedStreamText } from './routed-text-to-speech.js';

/** How a routed provider reaches its route: read fresh on every call, so reconfiguration applies to the next call. */
export interface RouteHandle<P extends BaseProvider> {
  readonly name: string;
  readonly kind: ProviderKind;
  current(): ResolvedRoute<P>;
  readonly executor: RouteExecutor;
  /** The route's configuration as written, for `getConfig()`. */
  describe(): Record<string, unknown>;
  /** Validates and applies a route patch (strategy, providers, timeouts…). */
  update(patch: Record<string, unknown>): Promise<void>;
  /** Options every call through this handle carries (a tenant view pins its tenant here). */
  readonly pinned?: Partial<CallOptions> | undefined;
  /**
   * The shared handle only: the routed provider that serves a call naming `tenant` (that tenant's own handle
   * when it has overrides), or undefined to serve the call here. Every call method asks it first, so a tenant
   * named in call options never slips past its scope.
   */
  readonly forTenant?: ((tenant: string) => BaseProvider | undefined) | undefined;
}

const noOptions: CallOptions = Object.freeze({});

// Units metered with quantity 0 when an attempt fails, one constant per kind (not an array per call).
const tokenUnits: readonly UsageUnit[] = Object.freeze(['input_tokens', 'output_tokens']);
const characterUnits: readonly UsageUnit[] = Object.freeze(['characters']);
const audioUnits: readonly UsageUnit[] = Object.freeze(['audio_seconds']);
const messageUnits: readonly UsageUnit[] = Object.freeze(['messages', 'segments']);

function withPinned(options: CallOptions | undefined, pinned: Partial<CallOptions> | undefined): CallOptions {
  if (!pinned) return options ?? noOptions;
  return { ...options, ...pinned };
}

/**
 * The half every routed provider shares. A routed provider has exactly the
 * interface of a single provider of its kind, so callers cannot tell them apart.
 */
abstract class RoutedProvider<P extends BaseProvider> implements BaseProvider {
  readonly specificationVersion = 'v1' as const;
  readonly vendor = 'routed';
  protected readonly handle: RouteHandle<P>;

  constructor(handle: RouteHandle<P>) {
    this.handle = handle;
  }

  get id(): string {
    return this.handle.name;
  }

  get kind(): ProviderKind {
    return this.handle.kind;
  }

  protected get members(): readonly P[] {
    return this.handle.current().members.map((member) => member.provider);
  }

  protected options(options: CallOptions | undefined): CallOptions {
    return withPinned(options, this.handle.pinned);
  }

  /** The routed provider of the tenant the options name, when that is not this one (see `RouteHandle.forTenant`). */
  protected redirect(options: CallOptions | undefined): this | undefined {
    const forTenant = this.handle.forTenant;
    if (forTenant === undefined || options === undefined) return undefined;
    const tenant = options.tenant;
    if (typeof tenant !== 'string') return undefined;
    const target = forTenant(tenant);
    return target === undefined || target === this ? undefined : (target as this);
  }

  /** Connected when at least one member is; details list every member's own result. */
  test(options: TestOptions = {}): Promise<HealthResult> {
    const target = this.redirect(options);
    if (target) return target.test(options);
    return this.#test(options);
  }

  async #test(options: TestOptions): Promise<HealthResult> {
    const started = performance.now();
    const pinned = withPinned(options, this.handle.pinned);
    const route = this.handle.current();
    const results = await Promise.all(route.members.map((member) => member.provider.test(pinned)));
    const members: Record<string, HealthResult & { circuit: string }> = {};
    route.members.forEach((member, index) => {
      members[member.id] = { ...(results[index] as HealthResult), circuit: member.breaker.state };
    });
    const connected = results.filter((result) => result.healthy).length;
    const allUnconfigured = results.every((result) => result.status === 'not_configured');
    return {
      status: connected > 0 ? 'connected' : allUnconfigured ? 'not_configured' : 'error',
      healthy: connected > 0,
      message: `${connected} of ${results.length} providers in route "${this.id}" connected`,
      latencyMs: Math.round(performance.now() - started),
      details: { members },
      checkedAt: new Date().toISOString(),
    };
  }

  getConfig(): RedactedConfig {
    return {
      id: this.id,
      kind: this.kind,
      vendor: this.vendor,
      route: this.handle.describe(),
      members: Object.fromEntries(this.members.map((member) => [member.id, member.getConfig()])),
    };
  }

  updateConfig(patch: Record<string, unknown>): Promise<void> {
    return this.handle.update(patch);
  }
}

function anyMember<P>(members: readonly P[], test: (member: P) => boolean): boolean {
  return members.some(test);
}

/**
 * Checks a request before routing: a malformed one is `invalid_request` naming the field, before any vendor
 * is called and without touching a breaker. Returns the rejection to hand back, or undefined when valid.
 */
function rejectInvalid(validate: (request: unknown) => void, request: unknown): Promise<never> | undefined {
  try {
    validate(request);
    return undefined;
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The request as one member must receive it: aliased identifiers replaced by the member's own ids. */
function withModel<T extends { model?: string | undefined }>(
  request: T,
  plan: IdentifierPlan,
  member: BaseProvider,
): T {
  if (plan.empty) return request;
  const resolved = plan.resolve(member);
  return resolved?.model === undefined ? request : { ...request, model: resolved.model };
}

function modelFor(plan: IdentifierPlan, member: BaseProvider, requested: string | undefined): string | undefined {
  return plan.empty ? requested : (plan.resolve(member)?.model ?? requested);
}

/** `generate` as an operation: one object per call instead of a closure per hook (the router's hottest path). */
class GenerateOperation implements Operation<LanguageModel, LanguageModelResult> {
  readonly failureUnits = tokenUnits;
  readonly #request: LanguageModelRequest;
  readonly identifiers: IdentifierPlan;

  constructor(request: LanguageModelRequest, plan: IdentifierPlan) {
    this.#request = request;
    this.identifiers = plan;
  }

  invoke(member: LanguageModel, attemptOptions: CallOptions): Promise<LanguageModelResult> {
    return member.generate(withModel(this.#request, this.identifiers, member), attemptOptions);
  }

  usage(result: LanguageModelResult): UsageQuantity[] {
    return tokenQuantities(result.usage);
  }

  estimate(): UsageQuantity[] {
    return outputTokenEstimate(this.#request);
  }

  model(result: LanguageModelResult | undefined, member: LanguageModel): string | undefined {
    return result?.model ?? modelFor(this.identifiers, member, this.#request.model);
  }
}

export class RoutedLanguageModel extends RoutedProvider<LanguageModel> implements LanguageModel {
  override get kind(): 'llm' {
    return 'llm';
  }

  get capabilities(): LanguageModelCapabilities {
    const members = this.members;
    return {
      streaming: anyMember(members, (member) => member.capabilities.streaming),
      tools: anyMember(members, (member) => member.capabilities.tools),
      images: anyMember(members, (member) => member.capabilities.images),
      jsonOutput: anyMember(members, (member) => member.capabilities.jsonOutput),
    };
  }

  generate(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelResult> {
    const target = this.redirect(options);
    if (target) return target.generate(request, options);
    const invalid = rejectInvalid(validateLanguageModelRequest, request);
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.call(route, new GenerateOperation(request, plan), this.options(options));
  }

  stream(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelStreamResult> {
    const target = this.redirect(options);
    if (target) return target.stream(request, options);
    const invalid = rejectInvalid(validateLanguageModelRequest, request);
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.stream<LanguageModel, LanguageModelStreamResult, LanguageModelStreamPart>(
      route,
      {
        invoke: (member, attemptOptions) => member.stream(withModel(request, plan, member), attemptOptions),
        usage: () => [
          { unit: 'input_tokens', quantity: 0 },
          { unit: 'output_tokens', quantity: 0 },
        ],
        observe: (part, tally) => {
          if (part.type !== 'usage' && part.type !== 'finish') return;
          for (const { unit, quantity } of tokenQuantities(part.usage)) tally.set(unit, quantity);
        },
        estimate: () => outputTokenEstimate(request),
        failureUnits: tokenUnits,
        model: (result, member) => result?.model ?? modelFor(plan, member, request.model),
        eligible: (member) => member.capabilities.streaming,
        ineligible: () => noMemberCan(this.id, 'stream'),
        identifiers: plan,
      },
      this.options(options),
    );
  }
}

/**
 * `inputTokens` includes cached tokens (as vendors report them); billing splits
 * them, so `input_tokens` is priced at the full rate and `cached_input_tokens`
 * at the cached rate, with no token counted twice.
 */
/** What a token budget reserves before an LLM call: the output tokens the request allows, when it says. */
function outputTokenEstimate(request: LanguageModelRequest): UsageQuantity[] {
  return request.maxOutputTokens ? [{ unit: 'output_tokens', quantity: request.maxOutputTokens }] : [];
}

function tokenQuantities(usage: LanguageModelResult['usage']): UsageQuantity[] {
  const quantities: UsageQuantity[] = [
    { unit: 'input_tokens', quantity: Math.max(0, usage.inputTokens - usage.cachedInputTokens) },
    { unit: 'output_tokens', quantity: usage.outputTokens },
  ];
  if (usage.cachedInputTokens > 0) quantities.push({ unit: 'cached_input_tokens', quantity: usage.cachedInputTokens });
  return quantities;
}

/** Whether a synthesizer can produce the requested format itself (no format requested: its default). */
function producesFormat(member: SpeechSynthesizer, format: SpeechRequest['format']): boolean {
  if (!format) return true;
  const entry = member.capabilities.formats.find((candidate) => candidate.encoding === format.encoding);
  if (!entry) return false;
  return (
    format.sampleRate === undefined || entry.sampleRates.length === 0 || entry.sampleRates.includes(format.sampleRate)
  );
}

/**
 * The refusal of a call no member of the route can serve, naming the request field that asks too much (none when
 * it is the operation itself no member offers, such as streaming).
 */
function noMemberCan(route: string, what: string, field?: string): PatchbayError {
  return new PatchbayError({
    code: 'invalid_request',
    message: `No provider in route "${route}" can ${what}`,
    details: field === undefined ? undefined : { field },
  });
}

function formatUnavailable(route: string, format: SpeechRequest['format']): PatchbayError {
  const wanted = `${format?.encoding}${format?.sampleRate ? ` at ${format.sampleRate} Hz` : ''}`;
  return noMemberCan(route, `produce format ${wanted}`, 'format');
}

/**
 * The refusal of a speech stream no member can serve: no member streams (with `streamText` when the text is
 * streamed too), or those that do cannot produce the requested format.
 */
function speechStreamUnavailable(
  route: string,
  members: readonly RouteMember<SpeechSynthesizer>[],
  format: SpeechRequest['format'],
  streamedText: boolean,
): PatchbayError {
  const streams = members.some(
    ({ provider }) => provider.capabilities.streaming && (!streamedText || typeof provider.streamText === 'function'),
  );
  if (!streams) return noMemberCan(route, streamedText ? 'stream speech from streamed text' : 'stream speech');
  return formatUnavailable(route, format);
}

function speechFor(request: SpeechRequest, plan: IdentifierPlan, member: BaseProvider): SpeechRequest {
  if (plan.empty) return request;
  const resolved = plan.resolve(member);
  if (!resolved) return request;
  return { ...request, model: resolved.model ?? request.model, voice: resolved.voice ?? request.voice };
}

export class RoutedSpeechSynthesizer extends RoutedProvider<SpeechSynthesizer> implements SpeechSynthesizer {
  override get kind(): 'tts' {
    return 'tts';
  }

  get capabilities(): SpeechSynthesizerCapabilities {
    const members = this.members;
    return {
      streaming: anyMember(members, (member) => member.capabilities.streaming),
      listVoices: anyMember(members, (member) => member.capabilities.listVoices),
      formats: members.flatMap((member) => member.capabilities.formats),
    };
  }

  synthesize(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult> {
    const target = this.redirect(options);
    if (target) return target.synthesize(request, options);
    const invalid = rejectInvalid(validateSpeechRequest, request);
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model, voice: request.voice });
    return this.handle.executor.call(
      route,
      {
        invoke: (member, attemptOptions) => member.synthesize(speechFor(request, plan, member), attemptOptions),
        usage: (result) => {
          const quantities: UsageQuantity[] = [{ unit: 'characters', quantity: result.characters }];
          if (result.durationSeconds !== undefined)
            quantities.push({ unit: 'audio_seconds', quantity: result.durationSeconds });
          return quantities;
        },
        estimate: () => [{ unit: 'characters', quantity: request.text.length }],
        failureUnits: characterUnits,
        model: (result, member) => result?.model ?? modelFor(plan, member, request.model),
        eligible: (member) => producesFormat(member, request.format),
        ineligible: () => formatUnavailable(this.id, request.format),
        identifiers: plan,
      },
      this.options(options),
    );
  }

  stream(request: SpeechRequest, options?: CallOptions): Promise<SpeechStreamResult> {
    const target = this.redirect(options);
    if (target) return target.stream(request, options);
    const invalid = rejectInvalid(validateSpeechRequest, request);
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model, voice: request.voice });
    return this.handle.executor.stream<SpeechSynthesizer, SpeechStreamResult, Uint8Array>(
      route,
      {
        invoke: (member, attemptOptions) => member.stream(speechFor(request, plan, member), attemptOptions),
        usage: (result) => [{ unit: 'characters', quantity: result.characters }],
        estimate: () => [{ unit: 'characters', quantity: request.text.length }],
        failureUnits: characterUnits,
        model: (result, member) => result?.model ?? modelFor(plan, member, request.model),
        eligible: (member) => member.capabilities.streaming && producesFormat(member, request.format),
        ineligible: () => speechStreamUnavailable(this.id, route.members, request.format, false),
        identifiers: plan,
      },
      this.options(options),
    );
  }

  /** Text as it arrives, over the members that have `streamText` (see routed-text-to-speech.ts). */
  streamText(text: AsyncIterable<string>, options?: SpeechTextStreamOptions): Promise<SpeechTextStreamResult> {
    const target = this.redirect(options);
    if (target) return target.streamText(text, options);
    // The request's fields are checked like a speech request's; the text itself arrives later.
    const invalid = rejectInvalid(validateSpeechRequest, { ...options, text: 'streamed text' });
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: options?.model, voice: options?.voice });
    return routedStreamText(
      {
        route,
        executor: this.handle.executor,
        plan,
        requestFor: (request, member) => speechFor(request, plan, member),
        eligible: (member, format) => member.capabilities.streaming && producesFormat(member, format),
        ineligible: (format) => speechStreamUnavailable(this.id, route.members, format, true),
        model: (result, member, requested) => result?.model ?? modelFor(plan, member, requested),
        options: this.options(options),
      },
      text,
      options,
    );
  }

  /** Voices of the first member that can list them. */
  listVoices(options?: CallOptions): Promise<Voice[]> {
    const target = this.redirect(options);
    if (target) return target.listVoices(options);
    return this.#listVoices(options);
  }

  async #listVoices(options: CallOptions | undefined): Promise<Voice[]> {
    const member = this.members.find((candidate) => candidate.capabilities.listVoices && candidate.listVoices);
    if (!member?.listVoices) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: `No provider in route "${this.id}" can list voices`,
      });
    }
    return member.listVoices(this.options(options));
  }
}

export class RoutedTranscriber extends RoutedProvider<Transcriber> implements Transcriber {
  override get kind(): 'stt' {
    return 'stt';
  }

  get capabilities(): TranscriberCapabilities {
    const members = this.members;
    return {
      live: anyMember(members, (member) => member.capabilities.live),
      urlInput: anyMember(members, (member) => member.capabilities.urlInput),
      diarization: anyMember(members, (member) => member.capabilities.diarization),
      liveEncodings: [...new Set(members.flatMap((member) => member.capabilities.liveEncodings))],
    };
  }

  transcribe(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResult> {
    const target = this.redirect(options);
    if (target) return target.transcribe(request, options);
    const invalid = rejectInvalid(validateTranscriptionRequest, request);
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.call(
      route,
      {
        invoke: (member, attemptOptions) => member.transcribe(withModel(request, plan, member), attemptOptions),
        usage: (result) => [{ unit: 'audio_seconds', quantity: result.durationSeconds }],
        failureUnits: audioUnits,
        model: (result, member) => result?.model ?? modelFor(plan, member, request.model),
        identifiers: plan,
        eligible: (member) => !isUrlSource(request.audio) || member.capabilities.urlInput,
        ineligible: () => noMemberCan(this.id, 'fetch audio from a URL', 'audio'),
        // A byte stream can be read once only: it cannot be replayed to a retry or a fallback.
        replayable: request.audio instanceof Uint8Array || isUrlSource(request.audio),
      },
      this.options(options),
    );
  }

  /**
   * Only members that declare live support (and the encoding) are ever chosen; failover happens while the session
   * opens and, for raw audio, mid-session too (see routed-live-transcription.ts).
   */
  async transcribeLive(request: LiveTranscriptionRequest, options?: CallOptions): Promise<LiveTranscriptionSession> {
    const target = this.redirect(options);
    if (target) return target.transcribeLive(request, options);
    const invalid = invalidLiveFailover(request);
    if (invalid) throw invalid;
    const callOptions = this.options(options);
    const open = (excluded: ReadonlySet<string>, signal: AbortSignal | undefined) =>
      this.#openLive(request, signal === undefined ? callOptions : { ...callOptions, signal }, excluded);
    const first = await open(new Set(), callOptions.signal);
    return new RoutedLiveTranscription(
      {
        request,
        open,
        lost: (member, error) =>
          this.handle
            .current()
            .members.find((candidate) => candidate.id === member)
            ?.breaker.failedWith(error),
        switched: ({ from, to, errorCode }) =>
          this.handle.executor.emitFailover({ route: this.id, from, to, tenant: callOptions.tenant, errorCode }),
        signal: callOptions.signal,
      },
      first,
    );
  }

  #openLive(
    request: LiveTranscriptionRequest,
    options: CallOptions,
    excluded: ReadonlySet<string>,
  ): Promise<LiveMemberSession> {
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.call<Transcriber, LiveMemberSession>(
      route,
      {
        invoke: async (member, attemptOptions) => {
          if (!member.transcribeLive)
            throw new PatchbayError({ code: 'invalid_request', message: 'Live transcription unsupported' });
          const session = await member.transcribeLive(withModel(request, plan, member), attemptOptions);
          return { member: member.id, session, settle: () => {} };
        },
        usage: () => [],
        failureUnits: audioUnits,
        model: (result, member) => result?.session.model ?? modelFor(plan, member, request.model),
        identifiers: plan,
        eligible: (member) =>
          !excluded.has(member.id) &&
          member.capabilities.live &&
          typeof member.transcribeLive === 'function' &&
          member.capabilities.liveEncodings.includes(request.encoding),
        // Only when nothing is excluded: a session that has failed over through every member is exhausted, not asked
        // for something no member can do.
        ineligible:
          excluded.size === 0
            ? () => noMemberCan(this.id, `transcribe ${request.encoding} audio live`, 'encoding')
            : undefined,
        // Metered once per member session when it ends, with the audio that member was actually sent.
        wrap: (opened, finish) => ({
          ...opened,
          settle: (outcome, replayed) =>
            finish(
              [{ unit: 'audio_seconds', quantity: opened.session.audioSeconds, ...(replayed ? { replayed } : {}) }],
              outcome,
            ),
        }),
      },
      options,
    );
  }
}

function isUrlSource(audio: TranscriptionRequest['audio']): audio is { url: string } {
  return !(audio instanceof Uint8Array) && typeof (audio as { url?: unknown }).url === 'string';
}

/** The refusal of a message no member can send: what no member supports, or (each is supported) their combination. */
function messageUnavailable(
  route: string,
  members: readonly RouteMember<MessagingProvider>[],
  message: OutboundMessage,
): PatchbayError {
  if (message.template && !members.some(({ provider }) => provider.capabilities.templates))
    return noMemberCan(route, 'send a template', 'template');
  if (message.media?.length && !members.some(({ provider }) => provider.capabilities.media))
    return noMemberCan(route, 'send media', 'media');
  return noMemberCan(route, 'send a template with media', 'media');
}

function messageFor(message: OutboundMessage, plan: IdentifierPlan, member: BaseProvider): OutboundMessage {
  if (plan.empty || !message.template) return message;
  const name = plan.resolve(member)?.template;
  return name === undefined ? message : { ...message, template: { ...message.template, name } };
}

export class RoutedMessagingProvider extends RoutedProvider<MessagingProvider> implements MessagingProvider {
  override get kind(): 'sms' | 'whatsapp' {
    return this.handle.kind as 'sms' | 'whatsapp';
  }

  get capabilities(): MessagingCapabilities {
    const members = this.members;
    return {
      channel: this.kind as 'sms' | 'whatsapp',
      media: anyMember(members, (member) => member.capabilities.media),
      templates: anyMember(members, (member) => member.capabilities.templates),
      idempotency: members.every((member) => member.capabilities.idempotency),
    };
  }

  send(message: OutboundMessage, options?: CallOptions): Promise<SendResult> {
    const target = this.redirect(options);
    if (target) return target.send(message, options);
    const invalid = rejectInvalid(validateMessageRequest, message);
    if (invalid) return invalid;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { template: message.template?.name });
    return this.handle.executor.call(
      route,
      {
        invoke: (member, attemptOptions) => member.send(messageFor(message, plan, member), attemptOptions),
        usage: (result) => [
          { unit: 'messages', quantity: 1 },
          { unit: 'segments', quantity: result.segments },
        ],
        failureUnits: messageUnits,
        model: () => undefined,
        eligible: (member) =>
          (!message.template || member.capabilities.templates) && (!message.media?.length || member.capabilities.media),
        ineligible: () => messageUnavailable(this.id, route.members, message),
        identifiers: plan,
        reportedCost: (result) => result.cost,
      },
      this.options(options),
    );
  }
}

/** Kind → the routed provider class that serves it. */
export function createRoutedProvider(handle: RouteHandle<BaseProvider>): BaseProvider {
  switch (handle.kind) {
    case 'llm':
      return new RoutedLanguageModel(handle as unknown as RouteHandle<LanguageModel>);
    case 'tts':
      return new RoutedSpeechSynthesizer(handle as unknown as RouteHandle<SpeechSynthesizer>);
    case 'stt':
      return new RoutedTranscriber(handle as unknown as RouteHandle<Transcriber>);
    case 'sms':
    case 'whatsapp':
      return new RoutedMessagingProvider(handle as unknown as RouteHandle<MessagingProvider>);
  }
}
