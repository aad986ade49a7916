let enabled = true;

/** Whether operations currently record the autograd graph (`torch.is_grad_enabled()`). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` without recording the graph, like `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
