/** Round a latency in milliseconds for display: "<1 ms", "12 ms", "1.5 s". */
export const formatLatency = (ms: number): string => {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms).toString()} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
};

/** A timestamp in the reader's locale, e.g. "27/11/2026, 10:00". */
export const formatDateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A byte count for display: "812 B", "4.2 KB", "1.5 MB". */
export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes.toString()} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
};

/** A duration in seconds: "0.4 s", "12 s", "2 min 5 s". */
export const formatDuration = (seconds: number): string => {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds).toString()} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes.toString()} min ${Math.round(seconds - minutes * 60).toString()} s`;
};
