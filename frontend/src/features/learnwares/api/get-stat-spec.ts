import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

/** A listed version's statistical specification (its stat.json), as JSON text. */
export const getStatSpecText = async (versionId: number): Promise<string> =>
  JSON.stringify(
    await unwrap(
      client.GET('/api/versions/{version_id}/stat-spec/', {
        params: { path: { version_id: versionId } },
      }),
    ),
  );
