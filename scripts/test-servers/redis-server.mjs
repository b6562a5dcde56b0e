// Starts a throwaway redis-server on 127.0.0.1 for the test run (filled in by the state work).
// Returns { url, stop } or undefined when no server is started.
export async function startRedis() {
  return undefined;
}
