/** Round a latency in milliseconds for display: "<1 ms", "12 ms", "1.5 s". */
export const formatLatency = (ms: number): string => {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms).toString()} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
};
