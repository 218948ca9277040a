/**
 * Characters that act on a terminal, or break a line, instead of showing:
 * the C0 controls (newline, tab, ESC, which starts the sequences that set a
 * terminal's colours and title, BEL that ends them), DEL, the C1 controls
 * (U+0080–U+009F: CSI and OSC in one character), the Unicode line and
 * paragraph separators, and the bidirectional embeddings, overrides and
 * isolates, which reorder what a terminal or a browser shows.
 */
/** The controls past C0, which JSON.stringify writes as they are. */
const BEYOND_C0 = '\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const CONTROLS = new RegExp(`[\\u0000-\\u001f${BEYOND_C0}]`);
const ALL_CONTROLS = new RegExp(CONTROLS.source, 'g');
const ALL_BEYOND_C0 = new RegExp(`[${BEYOND_C0}]`, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text taken from an input (a function or file name, a sample type, a
 * label, a goroutine state), made safe to write for a person: each control
 * character is written as an escape a person can read — `\n`, `\t`, `\x1b`,
 * `\u202e` — so a name stays on its line and cannot drive the terminal. Text
 * without them comes back as it is (the same string). Backslashes are left
 * alone: Windows paths stay readable, at the cost of not being reversible.
 */
export function printable(text: string): string {
  if (!CONTROLS.test(text)) return text;
  return text.replace(ALL_CONTROLS, (c) => NAMED[c] ?? escapeCode(c.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * JSON text with every control character escaped. JSON.stringify escapes the
 * C0 controls (ESC becomes \u001b) but writes DEL, the C1 controls, U+2028/
 * 2029 and the bidirectional controls as they are, and a terminal acts on
 * some of them. In JSON they can stand only inside strings, so escaping them
 * leaves every value the same.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(ALL_BEYOND_C0, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
