// Test helper: a client whose transactions pause after each statement while `between` runs on
// another connection and commits — what a second instance can do between two statements of a
// READ COMMITTED transaction on a real server.
import type { SqlClient } from '../sql-client.js';

export function withWritesBetweenStatements(client: SqlClient, between: () => Promise<void>): SqlClient {
  return {
    query: (text, params) => client.query(text, params),
    transaction: (work) =>
      client.transaction((transaction) => {
        const paused: SqlClient = {
          async query<Row>(text: string, params?: readonly unknown[]) {
            const result = await transaction.query<Row>(text, params);
            await between();
            return result;
          },
          transaction: (nested) => nested(paused),
          close: async () => {},
        };
        return work(paused);
      }),
    close: () => client.close(),
  };
}
