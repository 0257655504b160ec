/** What the search page shows about a stat.json before sending it. */
export type StatSpecSummary = {
  type: string;
  /** Columns (features) of each reduced-set point, when the spec has a `z` matrix. */
  dimension: number | null;
  /** Size of the reduced set (the number of points in `z`). */
  points: number | null;
};

export type StatSpecCheck =
  | { ok: true; text: string; summary: StatSpecSummary }
  | { ok: false; problem: 'notJson' | 'noType' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Check that the text is a JSON object with a `type` (an RKME specification) and summarise it. */
export function checkStatSpec(text: string): StatSpecCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'notJson' };
  }
  if (!isRecord(parsed)) return { ok: false, problem: 'notJson' };
  if (typeof parsed.type !== 'string' || !parsed.type) return { ok: false, problem: 'noType' };
  const z = Array.isArray(parsed.z) ? (parsed.z as unknown[]) : null;
  const first = z?.[0];
  return {
    ok: true,
    text,
    summary: {
      type: parsed.type,
      points: z ? z.length : null,
      dimension: Array.isArray(first) ? first.length : null,
    },
  };
}

/** The text of a picked file (FileReader: jsdom and older engines lack Blob.text). */
export const readText = (file: Blob): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(typeof reader.result === 'string' ? reader.result : '');
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('could not read the file'));
    };
    reader.readAsText(file);
  });
