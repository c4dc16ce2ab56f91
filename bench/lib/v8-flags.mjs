// V8 flags given on a benchmark's command line (`--v8-flags`, `--node-flags`), checked
// before they reach a service's command line or v8.setFlagsFromString.

const FLAG = /^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/;

/**
 * @param {string} text space-separated flags, such as "--heap-growing-percent=100"
 * @returns {string[] | null} the flags, or null when any of them is not a plain V8 flag
 */
export function parseV8Flags(text) {
  const flags = text.trim().split(/\s+/).filter(Boolean);
  return flags.every((flag) => FLAG.test(flag)) ? flags : null;
}
