export interface TestRedisServer {
  url: string;
  port: number;
  kill(): Promise<void>;
  pause(): void;
  resume(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}
export function startRedis(options?: { port?: number; readyTimeoutMs?: number }): Promise<TestRedisServer>;
