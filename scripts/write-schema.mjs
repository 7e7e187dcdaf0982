// Writes dist/teardown.schema.json, the JSON Schema of the json and ndjson forms, from the built
// module that declares it (src/render/json-schema.ts): run by `npm run build`, shipped in the package.
import { writeFileSync } from 'node:fs';
import { jsonSchema } from '../dist/render/json-schema.js';

writeFileSync(new URL('../dist/teardown.schema.json', import.meta.url), JSON.stringify(jsonSchema(), null, 2) + '\n');
