/**
 * A small evaluator for the spreadsheet formulas the price schedules contain (cell references,
 * optionally on another sheet, ranges, + - * /, SUM, ROUND), so tests can check that the formulas
 * compute the right totals once the bidder's prices are typed in, rather than trusting the
 * cached results the generator wrote.
 */
import type ExcelJS from 'exceljs';

/** Values typed into cells, keyed "Sheet name!A1". */
export type Inputs = ReadonlyMap<string, number>;

export function evaluateCell(workbook: ExcelJS.Workbook, sheet: string, address: string, inputs: Inputs = new Map()): number {
  return new Evaluator(workbook, inputs).cell(sheet, address);
}

type Token = { kind: 'number'; value: number } | { kind: 'ref'; sheet: string | null; from: string; to: string | null } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|(?:'((?:[^']|'')+)'!|([A-Za-z][\w ]*)!)?(\$?[A-Z]{1,3}\$?\d+)(?::(\$?[A-Z]{1,3}\$?\d+))?|([A-Z]+)(?=\()|([-+*/(),]))/y;

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < formula.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(formula);
    if (!m || m.index !== start) throw new Error(`cannot read formula "${formula}" at ${start}`);
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: Number(m[1]) });
    else if (m[4] !== undefined) {
      const strip = (a: string) => a.replaceAll('$', '');
      tokens.push({ kind: 'ref', sheet: m[2]?.replaceAll("''", "'") ?? m[3] ?? null, from: strip(m[4]), to: m[5] ? strip(m[5]) : null });
    } else if (m[6] !== undefined) tokens.push({ kind: 'name', value: m[6] });
    else if (m[7] !== undefined) tokens.push({ kind: 'op', value: m[7] });
    if (TOKEN.lastIndex === start) break;
  }
  return tokens;
}

function decode(address: string): { row: number; column: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address)!;
  const column = [...m[1]!].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
  return { row: Number(m[2]), column };
}

class Evaluator {
  private tokens: Token[] = [];
  private position = 0;
  private sheet = '';
  private readonly visiting = new Set<string>();

  constructor(
    private readonly workbook: ExcelJS.Workbook,
    private readonly inputs: Inputs,
  ) {}

  cell(sheetName: string, address: string): number {
    const key = `${sheetName}!${address}`;
    if (this.inputs.has(key)) return this.inputs.get(key)!;
    const sheet = this.workbook.getWorksheet(sheetName);
    if (!sheet) throw new Error(`no sheet "${sheetName}"`);
    const value = sheet.getCell(address).value;
    if (value === null || value === undefined || value === '') return 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'object' && 'formula' in value) {
      if (this.visiting.has(key)) throw new Error(`circular reference at ${key}`);
      this.visiting.add(key);
      const saved = { tokens: this.tokens, position: this.position, sheet: this.sheet };
      this.tokens = tokenize(String(value.formula));
      this.position = 0;
      this.sheet = sheetName;
      const result = this.expression();
      if (this.position !== this.tokens.length) throw new Error(`trailing tokens in "${value.formula}"`);
      Object.assign(this, saved);
      this.visiting.delete(key);
      return result;
    }
    throw new Error(`${key} holds ${JSON.stringify(value)}, not a number`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private expect(op: string): void {
    const t = this.tokens[this.position++];
    if (!t || t.kind !== 'op' || t.value !== op) throw new Error(`expected "${op}"`);
  }

  private expression(): number {
    let value = this.term();
    for (let t = this.peek(); t?.kind === 'op' && (t.value === '+' || t.value === '-'); t = this.peek()) {
      this.position++;
      value = t.value === '+' ? value + this.term() : value - this.term();
    }
    return value;
  }

  private term(): number {
    let value = this.factor();
    for (let t = this.peek(); t?.kind === 'op' && (t.value === '*' || t.value === '/'); t = this.peek()) {
      this.position++;
      value = t.value === '*' ? value * this.factor() : value / this.factor();
    }
    return value;
  }

  private factor(): number {
    const t = this.tokens[this.position++];
    if (!t) throw new Error('unexpected end of formula');
    if (t.kind === 'number') return t.value;
    if (t.kind === 'op' && t.value === '-') return -this.factor();
    if (t.kind === 'op' && t.value === '(') {
      const value = this.expression();
      this.expect(')');
      return value;
    }
    if (t.kind === 'ref') {
      if (t.to !== null) throw new Error('a range is only allowed inside SUM');
      return this.cell(t.sheet ?? this.sheet, t.from);
    }
    if (t.kind === 'name') return this.call(t.value);
    throw new Error(`unexpected token ${JSON.stringify(t)}`);
  }

  private call(name: string): number {
    this.expect('(');
    const args: number[][] = [];
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'ref' && t.to !== null) {
        this.position++;
        args.push(this.range(t.sheet ?? this.sheet, t.from, t.to));
      } else {
        args.push([this.expression()]);
      }
      const next = this.tokens[this.position++];
      if (next?.kind === 'op' && next.value === ')') break;
      if (!(next?.kind === 'op' && next.value === ',')) throw new Error(`bad arguments to ${name}`);
    }
    switch (name) {
      case 'SUM':
        return args.flat().reduce((n, v) => n + v, 0);
      case 'ROUND': {
        const [[x], [digits]] = args as [[number], [number]];
        const factor = 10 ** digits;
        return Math.round(x * factor) / factor;
      }
      default:
        throw new Error(`function ${name} is not supported`);
    }
  }

  private range(sheet: string, from: string, to: string): number[] {
    const a = decode(from);
    const b = decode(to);
    const values: number[] = [];
    for (let row = a.row; row <= b.row; row++) {
      for (let column = a.column; column <= b.column; column++) {
        const address = `${String.fromCharCode(64 + column)}${row}`;
        values.push(this.cell(sheet, address));
      }
    }
    return values;
  }
}
