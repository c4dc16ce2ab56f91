import type { JSX as PreactJSX } from 'preact';

/**
 * The pages' JSX, rendered straight to strings. TypeScript compiles every tag to a
 * call of `h` (tsconfig: `"jsx": "react"`, `"jsxFactory": "h"`), and `h` returns the
 * element's finished markup: there is no virtual DOM to build and then walk
 * (an orders page takes about 30 % less CPU than through preact-render-to-string;
 * docs/performance.md). Every string and number that reaches a
 * page as text or as an attribute value is escaped here, and nowhere else.
 */

/**
 * Markup that is safe to write as it is. Only `h` and `Fragment` make one: the class
 * is exported as a type alone, so no other module can wrap a raw string in it.
 */
class Html {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What a component may receive as children: markup, text, numbers, nothing, or lists of them. */
export type Children =
  Html | string | number | bigint | boolean | null | undefined | readonly Children[];

export type { Html };

type Component = (props: Record<string, unknown>) => Html | null;

const EMPTY = new Html('');

/** Elements that have no content and no end tag. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

const NEEDS_ESCAPE = /[&<>"]/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text made safe for an element's content and for an attribute value (always double-quoted). */
export function escapeHtml(text: string): string {
  // Most text on a page needs nothing: test once before building a new string.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"]/g, (c) => ENTITIES[c]) : text;
}

function renderChild(child: unknown): string {
  if (typeof child === 'string') return escapeHtml(child);
  if (child instanceof Html) return child.value;
  if (child === null || child === undefined || typeof child === 'boolean') return '';
  if (typeof child === 'number' || typeof child === 'bigint') return String(child);
  if (Array.isArray(child)) {
    let out = '';
    for (const item of child) out += renderChild(item);
    return out;
  }
  throw new TypeError(`cannot render a ${typeof child} as page content`);
}

const VALID_ATTRIBUTE = /^[a-zA-Z][a-zA-Z0-9_.:-]*$/;
const attributeNames = new Map<string, string>([
  ['className', 'class'],
  ['htmlFor', 'for'],
]);

/** `tabIndex` → `tabindex`, as HTML spells it; refuses names that could break out of the tag. */
function attributeName(prop: string): string {
  let name = attributeNames.get(prop);
  if (name === undefined) {
    if (!VALID_ATTRIBUTE.test(prop)) throw new TypeError(`invalid attribute name: ${prop}`);
    name = prop.toLowerCase();
    attributeNames.set(prop, name);
  }
  return name;
}

function renderAttributes(props: Record<string, unknown>): string {
  let out = '';
  for (const prop in props) {
    if (prop === 'children' || prop === 'key') continue;
    const value = props[prop];
    if (value === null || value === undefined || value === false) continue;
    if (value === true) {
      out += ` ${attributeName(prop)}`;
    } else if (typeof value === 'string' || typeof value === 'number') {
      out += ` ${attributeName(prop)}="${escapeHtml(String(value))}"`;
    } else {
      throw new TypeError(`attribute ${prop} must be a string, a number or a boolean`);
    }
  }
  return out;
}

/** The JSX factory: an element's markup, or what a component returns for its props. */
export function h(
  type: string | Component,
  props: Record<string, unknown> | null,
  ...children: unknown[]
): Html {
  if (typeof type === 'function') {
    // The compiled JSX passes a fresh props object (or null) to every call.
    const componentProps = props ?? {};
    if (children.length > 0) {
      componentProps.children = children.length === 1 ? children[0] : children;
    }
    return type(componentProps) ?? EMPTY;
  }
  const open = `<${type}${props ? renderAttributes(props) : ''}`;
  if (VOID_ELEMENTS.has(type)) {
    if (children.length > 0) throw new TypeError(`<${type}> cannot have children`);
    return new Html(`${open}/>`);
  }
  return new Html(`${open}>${renderChild(children)}</${type}>`);
}

/** `<>…</>`: its children, with no element around them. */
export function Fragment(props: { children?: Children }): Html {
  return new Html(renderChild(props.children));
}

/* eslint-disable @typescript-eslint/no-namespace --
   TypeScript looks for the JSX types of the classic transform in a namespace under the
   factory's name; there is no module syntax for it. The attributes each element accepts
   are preact's HTML typings (types only: nothing of preact runs). */
export declare namespace h {
  export namespace JSX {
    type Element = Html;
    interface ElementChildrenAttribute {
      children: unknown;
    }
    type IntrinsicElements = PreactJSX.IntrinsicElements;
  }
}
/* eslint-enable @typescript-eslint/no-namespace */
