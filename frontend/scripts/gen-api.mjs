// Generate src/lib/api/schema.d.ts from src/lib/api/openapi.yaml (openapi-typescript).
//   node scripts/gen-api.mjs          write the file       (npm run gen:api)
//   node scripts/gen-api.mjs --check  exit 1 if it is stale (npm run check:api)
// The check compares in memory, so it never touches the working tree.
import { readFile, writeFile } from 'node:fs/promises';

import openapiTS, { astToString } from 'openapi-typescript';

const SCHEMA = new URL('../src/lib/api/openapi.yaml', import.meta.url);
const OUTPUT = new URL('../src/lib/api/schema.d.ts', import.meta.url);
const HEADER = `/**
 * Generated — do not edit. Regenerate with \`npm run gen:api\`.
 * Source: src/lib/api/openapi.yaml (written by drf-spectacular), via openapi-typescript.
 */

`;

const generated = HEADER + astToString(await openapiTS(SCHEMA));

if (process.argv.includes('--check')) {
  const current = await readFile(OUTPUT, 'utf8').catch(() => '');
  if (current !== generated) {
    console.error(
      'src/lib/api/schema.d.ts is out of date with src/lib/api/openapi.yaml.\n' +
        'Run `npm run gen:api` and commit the result.',
    );
    process.exit(1);
  }
  console.log('schema.d.ts is up to date with openapi.yaml.');
} else {
  await writeFile(OUTPUT, generated);
  console.log('Wrote src/lib/api/schema.d.ts');
}
