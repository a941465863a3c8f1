import { deploymentProblems } from '../lib/deployment.js';
import { repoRoot } from '../lib/paths.js';

describe('docker-compose.yml and prometheus.yml', () => {
  it('run, migrate, route to and scrape every subgraph of rover.yaml', () => {
    expect(deploymentProblems(repoRoot)).toEqual([]);
  });
});
