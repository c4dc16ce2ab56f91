/**
 * The block structure of a declarative Jenkinsfile, enough to ask where a step runs: which
 * stage holds it, which stages enclose that one, and what a stage's `post` or `when` says.
 * Braces inside strings and comments are ignored.
 */

export interface Stage {
  name: string;
  /** Offset of `stage(`. */
  at: number;
  /** Offsets of the stage's `{` and its matching `}`. */
  open: number;
  close: number;
  parent: Stage | null;
}

/** For each `{` outside strings and comments, the offset of its matching `}`. */
export function matchBraces(text: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i, i + 3);
    if (text.startsWith('//', i))
      i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) i = text.indexOf('*/', i + 2) + 2 || text.length;
    else if (rest === "'''" || rest === '"""') i = text.indexOf(rest, i + 3) + 3 || text.length;
    else if (text[i] === "'" || text[i] === '"') {
      const quote = text[i];
      i += 1;
      while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
      i += 1;
    } else {
      if (text[i] === '{') stack.push(i);
      else if (text[i] === '}') {
        const open = stack.pop();
        if (open === undefined) throw new Error(`unbalanced } at offset ${i}`);
        pairs.set(open, i);
      }
      i += 1;
    }
  }
  if (stack.length > 0) throw new Error(`unbalanced { at offset ${stack[stack.length - 1]}`);
  return pairs;
}

/** Every `stage('name') { … }`, each with the innermost stage enclosing it. */
export function stages(text: string): Stage[] {
  const pairs = matchBraces(text);
  const found: Stage[] = [];
  for (const m of text.matchAll(/\bstage\(\s*'([^']+)'\s*\)\s*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = pairs.get(open);
    if (close === undefined) continue;
    found.push({ name: m[1], at: m.index ?? 0, open, close, parent: null });
  }
  for (const stage of found) {
    const enclosing = found.filter(
      (s) => s !== stage && s.open < stage.at && stage.close < s.close,
    );
    stage.parent = enclosing.sort((a, b) => b.open - a.open)[0] ?? null;
  }
  return found;
}

/** The innermost stage that holds offset `at`, or null. */
export function stageAround(all: Stage[], at: number): Stage | null {
  const holding = all.filter((s) => s.open < at && at < s.close);
  return holding.sort((a, b) => b.open - a.open)[0] ?? null;
}

/** The stage and every stage that encloses it, innermost first. */
export function lineage(stage: Stage | null): Stage[] {
  const out: Stage[] = [];
  for (let s = stage; s; s = s.parent) out.push(s);
  return out;
}

/**
 * The body of `keyword { … }` written directly in the block opened at `open` (not inside a
 * nested stage), or null.
 */
export function section(text: string, open: number, keyword: string): string | null {
  const pairs = matchBraces(text);
  const close = pairs.get(open);
  if (close === undefined) return null;
  const opens = [...pairs.keys()].sort((a, b) => a - b);
  let i = open + 1;
  for (const next of opens) {
    if (next < i) continue;
    if (next >= close) break;
    const end = pairs.get(next) ?? close;
    if (new RegExp(`\\b${keyword}\\s*(\\([^)]*\\))?\\s*$`).test(text.slice(i, next)))
      return text.slice(next + 1, end);
    i = end + 1;
  }
  return null;
}
