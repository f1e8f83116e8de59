/**
 * The rate limiter counts in fixed windows on the wall clock (`RateLimiter`): a burst that
 * straddles a window's end is split between two counts. Waits, when the current window ends
 * within `marginMs`, until the next one starts, so a short burst lands in one window.
 */
export async function inOneRateWindow(windowSeconds = 60, marginMs = 5_000): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
