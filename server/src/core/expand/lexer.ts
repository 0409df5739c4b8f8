/**
 * pfctl's view of pf.conf text: a streaming tokenizer that expands `$macro`
 * references textually (outside quotes) as it goes, joins `\`-newline
 * continuations, drops comments and keeps quoted strings whole.
 *
 * Macros are looked up at the moment the reference is read, so a definition
 * takes effect for every later token, exactly like a textual preprocessor.
 */

export type TokenKind = 'word' | 'string' | 'punct' | 'nl' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Text of the token (for `string`, without the quotes). */
  text: string;
  /** 1-based line in the file being read. */
  line: number;
}

export interface LexError {
  line: number;
  message: string;
}

/** pfctl's lexer buffer (8192 bytes, with its terminating NUL). */
const MAX_TOKEN = 8191;

const PUNCT = new Set(['{', '}', '(', ')', ',', '!', '<', '>', '=', '/']);
const TWO_CHAR = new Set(['!=', '<=', '>=', '<>', '><']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

function isWordChar(c: string): boolean {
  return c !== '' && !isSpace(c) && c !== '\n' && !PUNCT.has(c) && c !== '#' && c !== '"' && c !== '\\' && c !== '$';
}

function isMacroNameChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

interface Frame {
  text: string;
  pos: number;
  /** Macro frames do not advance the file's line counter. */
  macro?: string;
}

/** Macro expansions one lexer performs at most (a real ruleset needs a few thousand). */
const MAX_EXPANSIONS = 20_000;

export class Lexer {
  private frames: Frame[] = [];
  private lineNo = 1;
  private peeked: Token[] = [];
  readonly errors: LexError[] = [];

  private expansions = 0;
  private tooDeep = false;

  constructor(text: string, private readonly macros: Map<string, string>) {
    this.frames.push({ text, pos: 0 });
  }

  get line(): number {
    return this.lineNo;
  }

  private peekChar(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.pos < f.text.length) return f.text[f.pos];
      // exhausted macro frames are popped lazily
      if (i === this.frames.length - 1 && f.macro !== undefined) {
        this.frames.pop();
        continue;
      }
      return '';
    }
    return '';
  }

  private getChar(): string {
    const c = this.peekChar();
    if (c === '') return '';
    const f = this.frames[this.frames.length - 1];
    f.pos++;
    if (c === '\n' && f.macro === undefined) this.lineNo++;
    return c;
  }

  /** Characters after the current one in the same frame (for two-char operators, `\`-newline). */
  private lookAhead(n: number): string {
    this.peekChar();
    const f = this.frames[this.frames.length - 1];
    return f.text[f.pos + n] ?? '';
  }

  private expandMacro(): boolean {
    // at '$'
    const f = this.frames[this.frames.length - 1];
    let name = '';
    let i = f.pos + 1;
    while (i < f.text.length && isMacroNameChar(f.text[i])) name += f.text[i++];
    f.pos = i;
    if (name === '') {
      this.errors.push({ line: this.lineNo, message: 'syntax error' });
      return false;
    }
    const value = this.macros.get(name);
    if (value === undefined) {
      this.errors.push({ line: this.lineNo, message: `macro '${name}' not defined` });
      return false;
    }
    // Macros that refer to each other several times grow exponentially: cap the total work.
    if (++this.expansions > MAX_EXPANSIONS) {
      if (this.expansions === MAX_EXPANSIONS + 1) this.errors.push({ line: this.lineNo, message: 'macro expansion too large' });
      return false;
    }
    if (this.frames.length > 64 && this.frames.filter((x) => x.macro !== undefined).length > 64) {
      if (!this.tooDeep) this.errors.push({ line: this.lineNo, message: 'macro expansion too deep' });
      this.tooDeep = true;
      return false;
    }
    this.frames.push({ text: value, pos: 0, macro: name });
    return true;
  }

  peek(k = 0): Token {
    while (this.peeked.length <= k) this.peeked.push(this.lex());
    return this.peeked[k];
  }

  next(): Token {
    if (this.peeked.length) return this.peeked.shift()!;
    return this.lex();
  }

  /** Skips the rest of the current line (error recovery). */
  skipLine(): void {
    while (true) {
      const t = this.next();
      if (t.kind === 'nl' || t.kind === 'eof') return;
    }
  }

  private lex(): Token {
    for (;;) {
      let c = this.peekChar();
      while (isSpace(c) || (c === '\\' && this.lookAhead(1) === '\n') || (c === '\\' && this.lookAhead(1) === '\r' && this.lookAhead(2) === '\n')) {
        if (c === '\\') {
          this.getChar();
          if (this.peekChar() === '\r') this.getChar();
        }
        this.getChar();
        c = this.peekChar();
      }
      const line = this.lineNo;
      if (c === '') return { kind: 'eof', text: '', line };
      if (c === '#') {
        while (this.peekChar() !== '\n' && this.peekChar() !== '') this.getChar();
        continue;
      }
      if (c === '\n') {
        this.getChar();
        return { kind: 'nl', text: '\n', line };
      }
      if (c === '$') {
        this.expandMacro();
        continue;
      }
      if (c === '"') {
        this.getChar();
        let s = '';
        for (;;) {
          const d = this.getChar();
          if (d === '') {
            this.errors.push({ line, message: 'unterminated quoted string' });
            break;
          }
          // pfctl drops newlines inside quotes (a macro may span lines)
          if (d === '\n') continue;
          if (d === '\\') {
            const e = this.peekChar();
            if (e === '\n') {
              this.getChar();
              continue;
            }
            if (e === '"' || e === '\\') {
              s += this.getChar();
              continue;
            }
            s += d;
            continue;
          }
          if (d === '"') break;
          s += d;
        }
        if (s.length >= MAX_TOKEN) {
          // pfctl's lexer buffer: the statement ends in an error
          this.errors.push({ line, message: 'string too long' });
          return { kind: 'punct', text: '\u0000', line };
        }
        return { kind: 'string', text: s, line };
      }
      if (PUNCT.has(c)) {
        const two = c + this.lookAhead(1);
        if (TWO_CHAR.has(two)) {
          this.getChar();
          this.getChar();
          return { kind: 'punct', text: two, line };
        }
        this.getChar();
        return { kind: 'punct', text: c, line };
      }
      if (c === '\\') {
        this.getChar();
        return { kind: 'word', text: '\\', line };
      }
      let w = '';
      while (isWordChar(this.peekChar())) w += this.getChar();
      // `$macro` glued onto a word (e.g. `foo$bar`) continues the word
      while (this.peekChar() === '$' && w !== '') {
        if (!this.expandMacro()) break;
        while (isWordChar(this.peekChar())) w += this.getChar();
      }
      return { kind: 'word', text: w, line };
    }
  }
}

/** Splits a string into pfctl tokens without macro expansion (for unit tests and quick looks). */
export function tokenize(text: string, macros: Record<string, string> = {}): Token[] {
  const lx = new Lexer(text, new Map(Object.entries(macros)));
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    out.push(t);
    if (t.kind === 'eof') return out;
  }
}
