// Regenerates src/schema/validators.generated.ts from schemas/*.schema.json (ajv standalone code), after a
// schema edit: `npm run build && node scripts/generate-validators.js && npm run build`. A test fails while the
// generated file is stale (chtkit runs the generated validators as they are).
import { writeFileSync } from 'node:fs';

const { generateValidatorsSource } = await import('../dist/schema/ajv.js');
const target = new URL('../src/schema/validators.generated.ts', import.meta.url);
writeFileSync(target, generateValidatorsSource());
console.log(`wrote ${target.pathname}`);
