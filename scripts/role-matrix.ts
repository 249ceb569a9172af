import { writeFileSync } from 'node:fs';
import { contract } from '../shared/contract';
import { roleMatrixMarkdown } from '../shared/domain/role-matrix';

// Writes the role matrix into the docs; test/unit/domain/role-matrix.test.ts fails while it is stale.
writeFileSync(new URL('../docs/roles.md', import.meta.url), roleMatrixMarkdown(contract));
