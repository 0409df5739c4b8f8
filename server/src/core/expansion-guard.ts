// The expansion engine reads nested lists and anchors recursively. Text nested thousands of levels
// deep (garbage, or a fuzzer) can exhaust the stack: such a file gets no expansion-based claims
// rather than a failure, since the syntax check already reports what is wrong with it.
export function unlessTooDeep<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) return undefined;
    throw err;
  }
}
