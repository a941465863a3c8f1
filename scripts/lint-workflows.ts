// `npm run lint:workflows [-- <file>...]`: actionlint on every GitHub Actions workflow
// (.github/workflows/*.yml), or on the files given. Exits 1 on any problem (lib/workflow-lint.ts).
import path from 'node:path';
import { color } from './lib/log.js';
import { lintWorkflowFiles, workflowFiles, workflowsDir } from './lib/workflow-lint.js';

const given = process.argv.slice(2).map((file) => path.resolve(file));
const files = given.length > 0 ? given : workflowFiles();
if (files.length === 0) {
  console.error(color.red(`lint:workflows: no workflow in ${path.relative(process.cwd(), workflowsDir)}`));
  process.exit(1);
}
const problems = await lintWorkflowFiles(files);
const shown = files.map((file) => path.relative(process.cwd(), file)).join(', ');
if (problems > 0) {
  console.error(color.red(`lint:workflows: ${problems} problem(s) in ${shown}`));
  process.exit(1);
}
console.log(`lint:workflows: ${shown} ${color.green('ok')} (actionlint, shellcheck)`);
