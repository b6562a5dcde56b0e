import type { StatusReport } from '../health/status-report.js';

const colours = { green: 32, red: 31, yellow: 33, dim: 2 } as const;

export function paint(text: string, colour: keyof typeof colours, enabled: boolean): string {
  return enabled ? `\u001b[${colours[colour]}m${text}\u001b[0m` : text;
}

const statusColour = (status: string) =>
  status === 'connected' || status === 'healthy'
    ? 'green'
    : status === 'error' || status === 'degraded'
      ? 'red'
      : 'yellow';

/** Terminal text of a control-free, bounded width (vendor messages may hold anything). */
export function printable(text: string, max = 120): string {
  let out = '';
  for (const character of String(text)) {
    const code = character.codePointAt(0) as number;
    out += code < 0x20 || (code >= 0x7f && code < 0xa0) ? ' ' : character;
    if (out.length >= max) return `${out.slice(0, max - 1)}…`;
  }
  return out;
}

/** The status report as an aligned table, coloured when `colour` is true. */
export function formatStatusTable(report: StatusReport, colour: boolean): string {
  const header = ['INTEGRATION', 'KIND', 'VENDOR', 'STATUS', 'BREAKER', 'LATENCY', 'MESSAGE'];
  const rows = Object.entries(report.integrations).map(([id, line]) => [
    printable(id, 40),
    printable(line.kind, 12),
    printable(line.vendor, 20),
    line.status,
    line.circuit ?? '-',
    `${line.latency_ms} ms`,
    printable(line.message),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const render = (row: string[], isHeader: boolean) =>
    row
      .map((cell, column) => {
        const padded = column === row.length - 1 ? cell : cell.padEnd(widths[column] as number);
        if (isHeader) return paint(padded, 'dim', colour);
        return column === 3 ? paint(padded, statusColour(cell), colour) : padded;
      })
      .join('  ')
      .trimEnd();
  const lines = [render(header, true), ...rows.map((row) => render(row, false))];
  lines.push(
    '',
    `Overall: ${paint(report.overall_status, statusColour(report.overall_status), colour)} (checked ${report.last_checked})`,
  );
  return `${lines.join('\n')}\n`;
}
