import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings for inspecting a trace in bounded memory (issue 14). Every record is garbage a
 * moment after it was judged, and what is kept is small (bounded maps). V8's defaults suit the
 * opposite: a young generation grown to 3 x 16 MB for this allocation rate, an old generation let
 * grow to twice its live size before it is collected. Kept at its initial size and grown by a
 * fifth, a 1 GB trace peaks at about 100 MB instead of 150 MB, at no cost in time
 * (docs/performance.md). Both flags are read whenever the heap is resized, so they take effect at
 * run time; a worker thread's start sets them back to the process's (the main thread's young
 * generation then grew to 32 MB), so the trace workers apply them again once they run.
 */
export function useTraceHeapSettings(): void {
  inUse = true;
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=20');
}

let inUse = false;

/** Applies the settings again after a worker thread started, when they are in use (see useTraceHeapSettings). */
export function restoreTraceHeapSettings(): void {
  if (inUse) useTraceHeapSettings();
}
