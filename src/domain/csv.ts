/**
 * CSV that opens safely in spreadsheets: RFC 4180 quoting, a UTF-8 byte-order mark so
 * Excel reads accents, and cells that could start a formula (=, +, -, @, tab, CR, LF)
 * prefixed with an apostrophe (OWASP's CSV-injection advice).
 */
export const UTF8_BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '""';
  const text = typeof value === "number" ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
