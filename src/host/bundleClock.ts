// The first module dist/extension.js evaluates (imported first by src/extension.ts): when the
// bundle's own code started to run, so activate() can report how long evaluating the bundle took
// before it was called (issue 15; docs/BENCHMARKS.md "Activation"). Not the V8 compile before it.
export const bundleStartedAt = performance.now();
