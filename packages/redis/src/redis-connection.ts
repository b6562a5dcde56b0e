import { randomUUID } from 'node:crypto';
import { durationOption, invalidOption } from '@patchbay/core/errors';

/**
 * The part of a node-redis client (`createClient()` from `redis`) this package uses. Every
 * command goes through `sendCommand`, so any connected node-redis v5 client fits, with or
 * without modules.
 */
export interface RedisClientLike {
  readonly isReady: boolean;
  sendCommand<T = unknown>(args: ReadonlyArray<string>): Promise<T>;
  duplicate(): RedisClientLike;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  close(): Promise<void>;
  destroy(): void;
}

/** A non-empty string option (a key prefix, an instance id), or `fallback` when not given. */
function textOption<F extends string | undefined>(value: unknown, fallback: F, path: string): string | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw invalidOption(path, 'must be a non-empty string');
  return value;
}

/** What the shared state reports about Redis itself. */
export interface RedisWarning {
  /** `redis_unavailable`: shared pieces run on local state until Redis answers again. */
  code: 'redis_unavailable';
  message: string;
  /** The first failure of the outage (a timeout, a refused connection). */
  error: unknown;
}

export interface RedisConnectionOptions {
  /** A node-redis client (connected, or connecting); the caller keeps owning it. */
  client?: RedisClientLike | undefined;
  /** Or a URL (`redis://127.0.0.1:6379`): a client is made (from the `redis` package) and closed with this. */
  url?: string | undefined;
  /** Key and channel prefix, so several deployments share one Redis. Default `patchbay:`. */
  prefix?: string | undefined;
  /** A command that takes longer fails (and the piece that sent it falls back to local state). Default 250 ms. */
  commandTimeoutMs?: number | undefined;
  /** While Redis is unreachable, how often it is probed. Default 1,000 ms. */
  probeIntervalMs?: number | undefined;
  /** Identifies this instance in leases and messages; default a random UUID. */
  instanceId?: string | undefined;
}

/** Thrown (and caught by every shared piece) when Redis did not answer. */
export class RedisUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisUnavailableError';
  }
}

type MessageHandler = (message: Record<string, unknown>) => void;

/**
 * One Redis connection (plus a duplicate for pub/sub) with the degrade rules in one place:
 * every command is bounded by `commandTimeoutMs` and fails at once while the client is not
 * ready (no offline queue: a call never waits for Redis to come back) and during a known outage
 * (nothing is sent: one timeout, then local); the first failure of an outage emits one `warning`;
 * a background probe is then the only command sent until Redis answers, and runs the `recovered`
 * listeners, which reconcile local state with Redis.
 */
export class RedisConnection {
  readonly prefix: string;
  readonly instanceId: string;
  readonly #commandTimeoutMs: number;
  readonly #probeIntervalMs: number;
  readonly #ownsClient: boolean;
  readonly #url: string | undefined;
  #client: RedisClientLike | undefined;
  #subscriber: RedisClientLike | undefined;
  #starting: Promise<void> | undefined;
  #down = false;
  #probe: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #warningListeners = new Set<(warning: RedisWarning) => void>();
  readonly #recoveredListeners = new Set<() => void>();
  readonly #handlers = new Map<string, Set<MessageHandler>>();
  readonly #scripts = new Map<string, string>();

  constructor(options: RedisConnectionOptions) {
    if (!options.client && !options.url) throw invalidOption('url', 'give a Redis `url` or a node-redis `client`');
    if (options.url !== undefined && typeof options.url !== 'string') throw invalidOption('url', 'must be a string');
    this.prefix = textOption(options.prefix, 'patchbay:', 'prefix');
    this.instanceId = textOption(options.instanceId, undefined, 'instanceId') ?? randomUUID();
    this.#commandTimeoutMs = durationOption(options.commandTimeoutMs, 250, 'commandTimeoutMs', true);
    this.#probeIntervalMs = durationOption(options.probeIntervalMs, 1_000, 'probeIntervalMs', true);
    this.#client = options.client;
    this.#ownsClient = !options.client;
    this.#url = options.url;
  }

  /** The pub/sub channel every instance of this prefix listens on. */
  get channel(): string {
    return `${this.prefix}events`;
  }

  /** Whether the last command failed and Redis has not answered since. */
  get unavailable(): boolean {
    return this.#down;
  }

  /** Connects (when given a URL) and subscribes; resolves even when Redis is down (then it is probed). */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    try {
      if (!this.#client) {
        const { createClient } = await import('redis');
        if (this.#closed) return;
        const client = createClient({
          url: this.#url,
          disableOfflineQueue: true,
          socket: { connectTimeout: 1_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000) },
        }) as unknown as RedisClientLike;
        // node-redis re-emits socket errors; the outage is reported once through `warning` instead.
        client.on('error', () => {});
        this.#client = client;
        await client.connect();
      }
      const subscriber = (this.#client as RedisClientLike).duplicate();
      // The subscriber is always connected, so it notices an outage even when no command is being sent.
      subscriber.on('error', (error) => this.#markDown(error));
      // node-redis restores the subscription after a reconnect; the probe then reconciles what was missed.
      subscriber.on('ready', () => {
        if (this.#down) this.#scheduleProbe(0);
      });
      if (this.#closed) return;
      this.#subscriber = subscriber;
      await subscriber.connect();
      await subscriber.subscribe(this.channel, this.#onMessage);
    } catch (error) {
      this.#markDown(error);
    }
  }

  onWarning(listener: (warning: RedisWarning) => void): () => void {
    this.#warningListeners.add(listener);
    return () => this.#warningListeners.delete(listener);
  }

  onRecovered(listener: () => void): () => void {
    this.#recoveredListeners.add(listener);
    return () => this.#recoveredListeners.delete(listener);
  }

  /** Handles messages of one type sent by other instances. */
  handle(type: string, handler: MessageHandler): () => void {
    let handlers = this.#handlers.get(type);
    if (!handlers) this.#handlers.set(type, (handlers = new Set()));
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.#handlers.delete(type);
    };
  }

  readonly #onMessage = (raw: string): void => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.from === this.instanceId || typeof message.type !== 'string') return;
    for (const handler of this.#handlers.get(message.type) ?? []) {
      try {
        handler(message);
      } catch {
        // One failing handler must not keep the others from their message.
      }
    }
  };

  /**
   * Sends one command, bounded in time; rejects with `RedisUnavailableError` (and starts the outage)
   * on failure. During a known outage it rejects at once without sending anything: only the
   * background probe talks to Redis until it answers again.
   */
  async command<T>(args: readonly string[]): Promise<T> {
    if (this.#closed) throw new RedisUnavailableError('the Redis shared state is closed');
    if (this.#down) throw new RedisUnavailableError('Redis is unreachable (known outage; waiting for the probe)');
    return this.#send<T>(args);
  }

  /** Sends one command even during a known outage: the probe that ends it. */
  #probeNow(): Promise<void> {
    return this.#send(['PING']).then(
      () => undefined,
      () => undefined,
    );
  }

  async #send<T>(args: readonly string[]): Promise<T> {
    const client = this.#client;
    if (this.#closed) throw new RedisUnavailableError('the Redis shared state is closed');
    if (!client?.isReady) {
      const error = new RedisUnavailableError('Redis is not connected');
      this.#markDown(error);
      throw error;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const reply = await Promise.race([
        client.sendCommand<T>(args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new RedisUnavailableError(`Redis did not answer within ${this.#commandTimeoutMs} ms`)),
            this.#commandTimeoutMs,
          );
        }),
      ]);
      if (this.#down) this.#markUp();
      return reply;
    } catch (error) {
      // A script error is a bug in the reply, not an outage.
      if (error instanceof Error && /^(ERR|WRONGTYPE|NOSCRIPT)/.test(error.message)) throw error;
      this.#markDown(error);
      throw error instanceof RedisUnavailableError
        ? error
        : new RedisUnavailableError('Redis command failed', { cause: error });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** Runs a Lua script by its SHA, loading it on first use (or after a server restart emptied the script cache). */
  async script<T>(source: string, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
    const stringArgs = args.map(String);
    let sha = this.#scripts.get(source);
    if (sha) {
      try {
        return await this.command<T>(['EVALSHA', sha, String(keys.length), ...keys, ...stringArgs]);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      }
    }
    sha = await this.command<string>(['SCRIPT', 'LOAD', source]);
    this.#scripts.set(source, sha);
    return this.command<T>(['EVALSHA', sha, String(keys.length), ...keys, ...stringArgs]);
  }

  /** Tells the other instances (fire and forget: a lost message is reconciled on recovery). */
  publish(type: string, body: Record<string, unknown>): Promise<void> {
    const message = JSON.stringify({ ...body, type, from: this.instanceId });
    return this.command(['PUBLISH', this.channel, message]).then(
      () => undefined,
      () => undefined,
    );
  }

  #markDown(error: unknown): void {
    if (this.#closed) return;
    if (!this.#down) {
      this.#down = true;
      const warning: RedisWarning = {
        code: 'redis_unavailable',
        message: 'Redis is unreachable: shared state runs on local state until it answers again',
        error,
      };
      for (const listener of this.#warningListeners) {
        try {
          listener(warning);
        } catch {
          // A listener's failure must not stop the fallback.
        }
      }
    }
    this.#scheduleProbe(this.#probeIntervalMs);
  }

  #markUp(): void {
    this.#down = false;
    for (const listener of this.#recoveredListeners) {
      try {
        listener();
      } catch {
        // Reconciliation is best effort per piece.
      }
    }
  }

  #scheduleProbe(delayMs: number): void {
    if (this.#probe !== undefined || this.#closed) return;
    this.#probe = setTimeout(() => {
      this.#probe = undefined;
      if (!this.#down || this.#closed) return;
      void this.#probeNow();
    }, delayMs);
    (this.#probe as { unref?: () => void }).unref?.();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#probe !== undefined) clearTimeout(this.#probe);
    this.#probe = undefined;
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    await Promise.allSettled([
      closeClient(subscriber),
      this.#ownsClient ? closeClient(this.#client) : Promise.resolve(),
    ]);
  }
}

/** Closes gracefully when connected; a client that is reconnecting is destroyed (close would wait for it). */
async function closeClient(client: RedisClientLike | undefined): Promise<void> {
  if (!client) return;
  try {
    if (client.isReady) await client.close();
    else client.destroy();
  } catch {
    try {
      client.destroy();
    } catch {
      // Already gone.
    }
  }
}
