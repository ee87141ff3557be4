// Where a hand-edited config file's JSON goes wrong, by line and column: Node 20's JSON.parse
// messages often leave the position out, and "somewhere in the file" helps no one fix it.

export const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type JsonParse = { ok: true; value: unknown } | { ok: false; problem: string };

/** JSON.parse, plus the line and column of the first error (Node's message often lacks them). */
export function parseJson(text: string): JsonParse {
  const body = stripBom(text);
  if (body.trim() === '') return { ok: false, problem: 'is empty' };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const fault = findJsonFault(body);
    if (!fault) return { ok: false, problem: `is not valid JSON: ${message(e)}` };
    // Columns count from 1 and the BOM is invisible in editors, so positions are in the stripped text.
    const before = body.slice(0, fault.offset);
    const line = before.split('\n').length;
    const column = fault.offset - before.lastIndexOf('\n');
    return { ok: false, problem: `line ${line}, column ${column}: ${fault.message}` };
  }
}

function findJsonFault(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const found = (at: number): string =>
    at >= text.length ? 'the end of the file' : JSON.stringify(text.slice(at, at + 1));
  class Fault {
    constructor(
      readonly offset: number,
      readonly message: string,
    ) {}
  }
  const fail = (what: string, at = i): never => {
    throw new Fault(at, `${what}, found ${found(at)}`);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= text.length) throw new Fault(start, 'this string is never closed');
      const c = text[i] as string;
      if (c === '"') return void i++;
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('expected 4 hex digits after \\u', i + 2);
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else fail('expected an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u) after the backslash', i + 1);
      } else if (c < ' ') fail('a string must end on the line it starts on (control characters must be escaped)');
      else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"')
          fail(
            text[i] === '}'
              ? 'a comma may not come before "}"; expected a property'
              : 'expected a property name in double quotes',
          );
        string();
        space();
        if (text[i] !== ':') fail('expected ":" after the property name');
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('expected "," or "}" after the value');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        space();
        if (text[i] === ']') fail('a comma may not come before "]"; expected a value');
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('expected "," or "]" after the value');
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      if (!m.exec(text)) fail('expected a number');
      i = m.lastIndex;
      return;
    }
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    fail('expected a value');
  };
  try {
    value();
    space();
    if (i < text.length) fail('expected the end of the file after the value');
    return undefined;
  } catch (e) {
    if (e instanceof Fault) return { offset: e.offset, message: e.message };
    // Nesting deep enough to exhaust the stack: JSON.parse's own message will have to do.
    return undefined;
  }
}
