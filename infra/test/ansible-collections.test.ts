import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { compareVersions } from './lib/jenkins-plugins';

const ANSIBLE = join(__dirname, '..', 'ansible');
const FACTS = JSON.parse(
  readFileSync(join(__dirname, 'data', 'ansible-collections.json'), 'utf8'),
) as { collections: Record<string, { plugins: Record<string, { since: string }> }> };

interface Requirement {
  name: string;
  version: string;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml(\.j2)?$/.test(entry) && entry !== 'requirements.yml' ? [path] : [];
  });
}

/** Every collection plugin the files name, as "collection kind/plugin" with where. */
function pluginsUsed(files: Record<string, string>): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const add = (fqcn: string, kind: string, where: string) => {
    const [ns, coll, name] = fqcn.split('.');
    if (`${ns}.${coll}` === 'ansible.builtin') return;
    const key = `${ns}.${coll} ${kind}/${name}`;
    used.set(key, [...(used.get(key) ?? []), where]);
  };
  const fqcn = String.raw`([a-z_]+\.[a-z_]+\.[a-z_0-9]+)`;
  for (const [where, text] of Object.entries(files)) {
    const classified = new Set<number>();
    const patterns: [RegExp, string][] = [
      [new RegExp(String.raw`lookup\(\s*['"]${fqcn}['"]`, 'g'), 'lookup'],
      [new RegExp(String.raw`^plugin:\s*${fqcn}\s*$`, 'gm'), 'inventory'],
      [new RegExp(String.raw`ansible_connection:\s*["']*${fqcn}`, 'g'), 'connection'],
      [new RegExp(String.raw`^\s*(?:-\s+)?${fqcn}:\s*$`, 'gm'), 'module'],
    ];
    for (const [re, kind] of patterns)
      for (const m of text.matchAll(re)) {
        add(m[1], kind, where);
        classified.add((m.index ?? 0) + m[0].indexOf(m[1]));
      }
    for (const m of text.matchAll(new RegExp(String.raw`\b${fqcn}\b`, 'g'))) {
      const [ns] = m[1].split('.');
      if (
        ['amazon', 'community', 'containers', 'ansible'].includes(ns) &&
        !classified.has(m.index ?? 0)
      )
        add(m[1], 'unclassified', where);
    }
  }
  return used;
}

const FILES = Object.fromEntries(
  yamlFiles(ANSIBLE).map((f) => [relative(ANSIBLE, f), readFileSync(f, 'utf8')]),
);
const REQUIREMENTS = (
  parse(readFileSync(join(ANSIBLE, 'requirements.yml'), 'utf8')) as { collections: Requirement[] }
).collections;

function bounds(range: string): { lower?: string; upper?: string } {
  const parts = range.split(',').map((p) => p.trim());
  return {
    lower: parts.find((p) => p.startsWith('>='))?.slice(2),
    upper: parts.find((p) => p.startsWith('<') && !p.startsWith('<='))?.slice(1),
  };
}

function check(used: Map<string, string[]>, requirements: Requirement[]): string[] {
  const problems: string[] = [];
  for (const [key, where] of used) {
    const [collection, plugin] = key.split(' ');
    const fact = FACTS.collections[collection]?.plugins[plugin];
    if (!fact) {
      problems.push(
        `${collection} ${plugin} (in ${where.join(', ')}) is not in infra/test/data/ansible-collections.json: check at its source which release has it`,
      );
      continue;
    }
    const requirement = requirements.find((r) => r.name === collection);
    if (!requirement) {
      problems.push(`${collection} is used but not in requirements.yml`);
      continue;
    }
    const { lower, upper } = bounds(requirement.version);
    if (!lower || compareVersions(lower, fact.since) < 0)
      problems.push(
        `${collection} ${requirement.version} admits releases without ${plugin} (first in ${fact.since})`,
      );
    if (!upper) problems.push(`${collection} ${requirement.version} has no upper bound`);
  }
  return problems;
}

describe('Ansible collections', () => {
  const used = pluginsUsed(FILES);

  it('when the roles and inventory are read, then they use the AWS lookups, inventory and connection', () => {
    expect([...used.keys()].sort()).toEqual([
      'amazon.aws inventory/aws_ec2',
      'amazon.aws lookup/secretsmanager_secret',
      'amazon.aws lookup/ssm_parameter',
      'community.aws connection/aws_ssm',
    ]);
  });

  it('when requirements.yml is checked, then every collection admits only releases that have the plugins used', () => {
    expect(check(used, REQUIREMENTS)).toEqual([]);
  });

  it.each<[string, Requirement[], RegExp]>([
    [
      'amazon.aws 5.x admitted',
      [
        { name: 'amazon.aws', version: '>=5.5.0,<9.0.0' },
        { name: 'community.aws', version: '>=6.0.0,<9.0.0' },
      ],
      /amazon\.aws >=5\.5\.0,<9\.0\.0 admits releases without lookup\/secretsmanager_secret/,
    ],
    [
      'no upper bound',
      [
        { name: 'amazon.aws', version: '>=6.0.0' },
        { name: 'community.aws', version: '>=6.0.0,<9.0.0' },
      ],
      /amazon\.aws >=6\.0\.0 has no upper bound/,
    ],
    [
      'a collection missing',
      [{ name: 'amazon.aws', version: '>=6.0.0,<9.0.0' }],
      /community\.aws is used but not in requirements\.yml/,
    ],
  ])('when requirements.yml has %s, then the check names it', (_name, requirements, problem) => {
    expect(check(used, requirements).join('\n')).toMatch(problem);
  });

  it('when a role uses a plugin nobody checked, then the check names it', () => {
    const extra = pluginsUsed({
      'roles/x/tasks/main.yml': '- name: X\n  community.general.ufw:\n    rule: allow\n',
    });
    expect(check(extra, REQUIREMENTS).join('\n')).toMatch(
      /community\.general module\/ufw .* is not in infra\/test\/data\/ansible-collections\.json/,
    );
  });
});
