// Starts a throwaway PostgreSQL on 127.0.0.1 for the test run (filled in by the state work).
// Returns { url, stop } or undefined when no server is started.
export async function startPostgres() {
  return undefined;
}
