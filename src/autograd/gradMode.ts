let enabled = true;

/** Whether operations currently record the autograd graph (`torch.is_grad_enabled()`). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with recording switched on or off, restoring the previous mode afterwards. */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs `fn` without recording the graph, like `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, even inside `noGrad` (`with torch.enable_grad():`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
