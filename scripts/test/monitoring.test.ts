import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { provisionedDashboards, queriesOf, readDashboard } from '../lib/dashboards.js';
import { debianTool } from '../lib/debian-tool.js';
import { sampleNames, sampleValue, scrapeExporter } from '../lib/exporter-scrape.js';
import { PROMETHEUS_METRICS, radiataMetricNames } from '../lib/metric-names.js';
import {
  type AlertRule,
  bindMounts,
  exporterMetricNames,
  prometheusConfigPath,
  readCompose,
  readPrometheusConfig,
  readRules,
  ruleFiles,
} from '../lib/monitoring-config.js';
import { repoRoot } from '../lib/paths.js';
import { metricNamesIn } from '../lib/promql.js';
import { getPromtool, promtool } from '../lib/promtool.js';

const rulesDir = path.join(repoRoot, 'monitoring/prometheus/rules');
const testsDir = path.join(rulesDir, 'tests');
const ruleTestFiles = readdirSync(testsDir)
  .filter((file) => file.endsWith('.yml'))
  .map((file) => path.join(testsDir, file));
const files = ruleFiles(repoRoot).flatMap(({ files }) => files);
const alerts = files.flatMap((file) => readRules(file));

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchorsIn(markdownFile: string): Set<string> {
  const text = readFileSync(path.join(repoRoot, markdownFile), 'utf8');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, heading]) => anchorOf(heading ?? '')));
}

/** What an alert rule lacks for an operator (empty when nothing). */
function alertProblems(rule: AlertRule): string[] {
  const problems: string[] = [];
  if (!rule.alert) return [`a rule that is not an alert: ${rule.record ?? rule.expr}`];
  if (rule.for === undefined) problems.push('no for');
  if (!['critical', 'warning'].includes(rule.labels?.severity ?? '')) problems.push('severity not critical or warning');
  for (const key of ['summary', 'description', 'runbook']) {
    if (!rule.annotations?.[key]?.trim()) problems.push(`no ${key} annotation`);
  }
  const runbook = /^([\w./-]+\.md)#([\w-]+)$/.exec(rule.annotations?.runbook ?? '');
  if (rule.annotations?.runbook && !runbook)
    problems.push(`runbook "${rule.annotations.runbook}" is not <file>.md#<anchor>`);
  if (runbook) {
    const [, file = '', anchor = ''] = runbook;
    try {
      if (!anchorsIn(file).has(anchor)) problems.push(`${file} has no heading #${anchor}`);
    } catch {
      problems.push(`runbook ${file} does not exist`);
    }
  }
  return problems.map((problem) => `${rule.alert}: ${problem}`);
}

interface RuleTest {
  readonly alert_rule_test?: readonly { readonly alertname: string; readonly exp_alerts?: readonly unknown[] }[];
}

/** For each alert: whether some promtool unit test expects it to fire, and some expects it not to. */
function coverage(): Map<string, { fires: boolean; quiet: boolean }> {
  const seen = new Map<string, { fires: boolean; quiet: boolean }>();
  for (const file of ruleTestFiles) {
    const { tests } = parse(readFileSync(file, 'utf8')) as { tests: RuleTest[] };
    for (const check of tests.flatMap((test) => test.alert_rule_test ?? [])) {
      const entry = seen.get(check.alertname) ?? { fires: false, quiet: false };
      if ((check.exp_alerts ?? []).length > 0) entry.fires = true;
      else entry.quiet = true;
      seen.set(check.alertname, entry);
    }
  }
  return seen;
}

/** prometheus.yml as promtool can check it here: rule_files pointing at the repository's files. */
function localPrometheusConfig(dir: string): string {
  const config = parse(readFileSync(prometheusConfigPath(repoRoot), 'utf8')) as Record<string, unknown>;
  config.rule_files = ruleFiles(repoRoot).map(({ pattern }) => pattern);
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  return file;
}

describe('Prometheus configuration and alert rules', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'radiata-monitoring-'));
    await getPromtool();
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('load rule files that the prometheus service mounts', () => {
    expect(ruleFiles(repoRoot).map(({ files }) => files.map((file) => path.relative(repoRoot, file)))).toEqual([
      [
        path.join('monitoring/prometheus/rules/infrastructure.yml'),
        path.join('monitoring/prometheus/rules/radiata.yml'),
      ],
    ]);
  });

  it('pass promtool check config, with every rule file', async () => {
    const result = await promtool(['check', 'config', localPrometheusConfig(dir)]);
    expect(result).toEqual({ ok: true, output: expect.stringContaining('SUCCESS') });
    for (const file of files) expect(result.output).toContain(`Checking ${file}`);
  });

  it('pass promtool check rules', async () => {
    const result = await promtool(['check', 'rules', ...files]);
    expect(result).toEqual({ ok: true, output: expect.not.stringContaining('FAILED') });
  });

  it('pass their unit tests (promtool test rules), which fail when an alert does not fire as expected', async () => {
    expect(await promtool(['test', 'rules', ...ruleTestFiles])).toEqual({
      ok: true,
      output: expect.not.stringContaining('FAILED'),
    });
    // The unit tests can fail: one expecting an alert that stays quiet does.
    const wrong = path.join(dir, 'wrong.test.yml');
    writeFileSync(
      wrong,
      stringify({
        rule_files: [path.join(rulesDir, 'radiata.yml')],
        tests: [
          {
            interval: '15s',
            input_series: [{ series: 'radiata_dead_letters{service="orders", queue="q"}', values: '0x40' }],
            alert_rule_test: [{ eval_time: '5m', alertname: 'DeadLettersWaiting', exp_alerts: [{ exp_labels: {} }] }],
          },
        ],
      }),
    );
    expect(await promtool(['test', 'rules', wrong])).toEqual({ ok: false, output: expect.stringContaining('FAILED') });
  });

  it('are alerts with a for, a severity, a summary, a description and a runbook entry', () => {
    expect(alerts.length).toBeGreaterThan(20);
    expect(alertProblems({ alert: 'X', expr: 'up', annotations: { runbook: 'docs/RUNBOOK.md#nowhere' } })).toEqual([
      'X: no for',
      'X: severity not critical or warning',
      'X: no summary annotation',
      'X: no description annotation',
      'X: docs/RUNBOOK.md has no heading #nowhere',
    ]);
    expect(alerts.flatMap((rule) => alertProblems(rule))).toEqual([]);
    const names = alerts.map((rule) => rule.alert);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('each have a unit test where the alert fires and one where it does not', () => {
    const tested = coverage();
    const untested = alerts.flatMap((rule) => {
      const entry = tested.get(rule.alert ?? '');
      return [
        ...(entry?.fires ? [] : [`${rule.alert}: no test expects it to fire`]),
        ...(entry?.quiet ? [] : [`${rule.alert}: no test expects it to stay quiet`]),
      ];
    });
    expect(untested).toEqual([]);
    expect([...tested.keys()].filter((name) => !alerts.some((rule) => rule.alert === name))).toEqual([]);
  });

  it('use only metrics that a service registers, Prometheus makes or monitoring/exporter-metrics.txt lists', async () => {
    const known = new Set([
      ...(await radiataMetricNames(repoRoot)),
      ...PROMETHEUS_METRICS,
      ...exporterMetricNames(repoRoot),
    ]);
    const unknown = alerts.flatMap((rule) =>
      metricNamesIn(rule.expr)
        .filter((name) => !known.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe('monitoring/exporter-metrics.txt', () => {
  const listed = exporterMetricNames(repoRoot);

  it('lists exactly the exporter metrics that dashboards and alert rules use', async () => {
    const radiata = await radiataMetricNames(repoRoot);
    const expressions = [
      ...provisionedDashboards(repoRoot).flatMap((file) =>
        queriesOf(readDashboard(file).dashboard).map(({ expr }) => expr),
      ),
      ...alerts.map((rule) => rule.expr),
    ];
    const used = new Set(
      expressions.flatMap(metricNamesIn).filter((name) => !radiata.has(name) && !PROMETHEUS_METRICS.has(name)),
    );
    expect([...used].filter((name) => !listed.includes(name)).sort()).toEqual([]);
    expect(listed.filter((name) => !used.has(name))).toEqual([]);
    expect(listed.filter((name) => !/^(pg|redis|rabbitmq)_/.test(name))).toEqual([]);
  });

  it("names only metrics that the PostgreSQL and Redis exporters serve (Debian's, against the local servers)", async () => {
    const [postgresExporter, redisExporter] = await Promise.all([
      debianTool('prometheus-postgres-exporter', 'prometheus-postgres-exporter'),
      debianTool('prometheus-redis-exporter', 'prometheus-redis-exporter'),
    ]);
    const postgresUrl = new URL(process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    if (!postgresUrl.searchParams.has('sslmode')) postgresUrl.searchParams.set('sslmode', 'disable');
    const [postgres, redis] = await Promise.all([
      scrapeExporter(postgresExporter, (port) => [`--web.listen-address=127.0.0.1:${port}`], {
        DATA_SOURCE_NAME: postgresUrl.toString(),
      }),
      scrapeExporter(
        redisExporter,
        (port) => [
          `--web.listen-address=127.0.0.1:${port}`,
          `--redis.addr=${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}`,
        ],
        {},
      ),
    ]);
    // Both reached their server: the figures are real ones.
    expect({ pg_up: sampleValue(postgres, 'pg_up'), redis_up: sampleValue(redis, 'redis_up') }).toEqual({
      pg_up: 1,
      redis_up: 1,
    });
    const served = new Set([...sampleNames(postgres), ...sampleNames(redis)]);
    expect(listed.filter((name) => /^(pg|redis)_/.test(name) && !served.has(name))).toEqual([]);
  }, 300_000);
});

describe('docker-compose.yml for monitoring', () => {
  const compose = readCompose(repoRoot);
  const prometheus = readPrometheusConfig(repoRoot);
  const published = Object.entries(compose.services).flatMap(([name, service]) =>
    (service?.ports ?? []).map((port) => ({ name, port: String(port) })),
  );

  it('runs the PostgreSQL and Redis exporters, pinned, unpublished, with secrets from the environment', () => {
    for (const name of ['postgres-exporter', 'redis-exporter']) {
      const service = compose.services[name];
      expect({ name, image: service?.image }).toEqual({ name, image: expect.stringMatching(/:v\d+\.\d+\.\d+$/) });
      expect({ name, ports: service?.ports }).toEqual({ name, ports: undefined });
    }
    expect(compose.services['postgres-exporter']?.environment?.DATA_SOURCE_PASS).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('scrapes only targets that are compose services, on ports no service publishes', () => {
    const targets = prometheus.scrape_configs.flatMap(({ job_name, static_configs }) =>
      (static_configs ?? []).flatMap(({ targets }) => (targets ?? []).map((target) => ({ job_name, target }))),
    );
    expect(targets.map(({ job_name }) => job_name)).toEqual(
      expect.arrayContaining(['radiata', 'postgres', 'redis', 'rabbitmq', 'rabbitmq-queues']),
    );
    for (const { job_name, target } of targets) {
      const [host, port] = target.split(':');
      if (host === '127.0.0.1') continue;
      expect({ job_name, target, service: Boolean(compose.services[host ?? '']) }).toEqual({
        job_name,
        target,
        service: true,
      });
      expect(published.filter((entry) => entry.port.endsWith(`:${port}`))).toEqual([]);
    }
  });

  it("enables RabbitMQ's Prometheus plugin with the management plugin the image had", () => {
    const mounts = bindMounts(repoRoot, compose, 'rabbitmq');
    const file = mounts.get('/etc/rabbitmq/enabled_plugins');
    expect(file).toBe(path.join(repoRoot, 'monitoring/rabbitmq/enabled_plugins'));
    const plugins = /^\[([\w,\s]*)\]\.\s*$/
      .exec(readFileSync(file ?? '', 'utf8'))?.[1]
      ?.split(',')
      .map((name) => name.trim());
    expect(plugins?.sort()).toEqual(['rabbitmq_management', 'rabbitmq_prometheus']);
    expect(compose.services.rabbitmq?.image).toMatch(/-management$/);
  });
});
