/**
 * The metric names a PromQL expression reads. A small lexer, not a parser: it drops
 * strings, label matchers, range selectors and grouping clauses, then keeps the
 * identifiers that are neither functions (followed by "(") nor keywords.
 */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/#.*$/gm, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.$])([A-Za-z_:][\w:]*)(?!\w)(\s*\()?/g)) {
    const [, name, call] = match;
    if (!name || call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}
