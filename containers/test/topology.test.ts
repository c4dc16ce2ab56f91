import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/test/support/browser';
import type { Person } from '../../e2e/test/support/site';
import { Visitor, hiddenField } from '../../faults/test/support/http';
import { describeFailures, failures, Recorder, startLoad } from '../../faults/test/support/load';
import { probe, waitHealthy } from './support/health';
import { processesOf, tryWrite } from './support/hardening';
import * as journey from './support/journeys';
import { inspect, podmanOk, REPO_DIR, SUITE_PREFIX } from './support/podman';
import { record, startComposeStack, stopComposeStack, type ComposeStack } from './support/stack';
import { buildVariant, CONTROLS, imageHealthPasses } from './support/variants';

const LONG_RUNNING = ['db', 'backend', 'frontend', 'nginx'];

let stack: ComposeStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.url });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

const containersOf = (services: string[]) => services.flatMap((s) => stack.topology.containers(s));

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startComposeStack(SUITE_PREFIX);
  record('topology', { healthyMs: stack.healthyMs, at: new Date().toISOString() });
  console.log(`compose topology healthy in ${(stack.healthyMs / 1000).toFixed(1)} s`);
}, 600_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stopComposeStack(stack);
}, 120_000);

describe('the compose topology, built from the Dockerfiles and run with podman', () => {
  it('when it is up, then migrate ran once and exited 0 and every service passes its own health check', async () => {
    const [migrate] = stack.topology.containers('migrate');
    const state = await inspect<{ State: { Status: string; ExitCode: number } }>(
      'container',
      migrate,
    );
    expect(state.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    for (const service of LONG_RUNNING) {
      const health = await stack.topology.health(service);
      expect([service, health === null]).toEqual([service, false]);
      for (const container of stack.topology.containers(service)) {
        expect([container, (await probe(container, health!)).ok]).toEqual([container, true]);
      }
    }
  });

  it.each(['backend', 'frontend', 'nginx'])(
    "when %s's image HEALTHCHECK runs in its container, then it passes (what docker run and other engines use)",
    async (service) => {
      const [container] = stack.topology.containers(service);
      await imageHealthPasses(stack.topology, service, container, stack.topology.image(service));
    },
  );

  it('when the ports are read, then only nginx publishes one, and on the loopback interface only', async () => {
    const published: string[] = [];
    for (const container of containersOf(stack.topology.active())) {
      const ports = await podmanOk(['port', container]);
      for (const line of ports.split('\n').filter(Boolean)) published.push(`${container} ${line}`);
    }
    const [nginx] = stack.topology.containers('nginx');
    expect(published).toEqual([`${nginx} 8080/tcp -> ${stack.url.replace('http://', '')}`]);
  });

  it('when the mounted secrets are read, then they are the generated ones, never the committed examples', async () => {
    for (const container of containersOf(stack.topology.active())) {
      const mounts = await inspect<{ Mounts: { Source: string; Destination: string }[] }>(
        'container',
        container,
      );
      for (const mount of mounts.Mounts.filter((m) => m.Destination.startsWith('/run/secrets/'))) {
        expect([container, mount.Source.startsWith(stack.secretsDir)]).toEqual([container, true]);
      }
    }
    expect(stack.secretsDir.startsWith(REPO_DIR)).toBe(false);
  });
});

describe('journeys through the nginx container in a real browser', () => {
  let admin: Page;
  let member: { person: Person; id: number };
  const adminPerson = (): Person => ({
    name: 'Admin',
    surname: 'User',
    email: stack.admin.email,
    password: stack.admin.password,
  });

  it('when the admin signs in with the generated password, then their home page and its assets are served', async () => {
    admin = await newPage();
    await journey.signIn(admin, adminPerson());
    expect(await journey.brokenAssets(admin)).toEqual([]);
  });

  it('when the admin creates a member and adds an order, then the order heads the orders page', async () => {
    member = await journey.createMember(admin);
    expect(await journey.addOrder(admin)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the admin messages the member, then the member sees it after signing in', async () => {
    const memberPage = await newPage();
    expect(await journey.signIn(memberPage, member.person)).toBe(member.id);
    await journey.sendMessage(admin, adminPerson(), memberPage, member.id);
  });

  it('when the admin signs out, then closed pages send them to log in', async () => {
    await journey.signOut(admin);
  });
});

describe('hardening, as it holds at run time', () => {
  it('when the processes of every container are listed, then none runs as root', async () => {
    const rootProcesses: string[] = [];
    for (const container of containersOf(LONG_RUNNING)) {
      const processes = await processesOf(container);
      expect(processes.length).toBeGreaterThan(0);
      for (const p of processes.filter((p) => p.uids.includes(0))) {
        rootProcesses.push(`${container}: ${p.command} (pid ${p.pid}, uids ${p.uids.join()})`);
      }
    }
    expect(rootProcesses).toEqual([]);
  });

  it('when a file is written outside the declared tmpfs, then the read-only root refuses it (and /tmp takes it)', async () => {
    const outside = ['/', '/etc', '/usr/local/bin', '/var/tmp', '/run', '/home'];
    for (const container of containersOf(LONG_RUNNING)) {
      const results = await Promise.all(outside.map((dir) => tryWrite(container, dir)));
      expect([container, results]).toEqual([container, outside.map(() => 'EROFS')]);
      expect([container, await tryWrite(container, '/tmp')]).toEqual([container, 'written']);
    }
  });

  it('when a frontend container gets SIGTERM under load, then it drains: no failed request, exit 0 within its grace period', async () => {
    const visitors = await Promise.all([1, 2, 3].map(() => signedInVisitor()));
    const recorder = new Recorder();
    const pages = ['/orders', '/', '/messages'];
    let n = 0;
    const load = startLoad(visitors, 25, async (visitor) => {
      const page = pages[(n += 1) % pages.length];
      await recorder.track(
        `GET ${page}`,
        () => visitor.get(page),
        (r) => (r.status === 200 ? 'ok' : 'fail'),
      );
    });
    await new Promise((r) => setTimeout(r, 2000));
    const [, target] = stack.topology.containers('frontend');
    const stopped = Date.now();
    await podmanOk(['stop', target], { timeoutMs: 60_000 });
    const stopMs = Date.now() - stopped;
    await new Promise((r) => setTimeout(r, 2000));
    await load.stop();
    const state = await inspect<{ State: { ExitCode: number } }>('container', target);
    record('drain', { stopMs, requests: recorder.samples.length });
    console.log(
      `SIGTERM to ${target}: stopped in ${stopMs} ms, ${recorder.samples.length} requests, ` +
        `${failures(recorder.samples).length} failed`,
    );
    expect(recorder.samples.length).toBeGreaterThan(80);
    expect(describeFailures(recorder.samples)).toBe('');
    expect(state.State.ExitCode).toBe(0);
    expect(stopMs).toBeLessThan(20_000);
    await podmanOk(['start', target]);
    await waitHealthy(target, (await stack.topology.health('frontend'))!);
  });
});

describe('controls: a broken Dockerfile makes these checks fail', () => {
  it.each(CONTROLS)('control: $name', async (control) => {
    const image = await buildVariant(control);
    const container = await stack.topology.startExtra(control.service, image);
    try {
      await expect(
        control.check(stack.topology, control.service, container, image),
      ).rejects.toThrow(control.failure);
    } finally {
      await podmanOk(['rm', '-f', '-t', '0', container]);
    }
  });
});

/** A keep-alive HTTP client signed in as the admin through nginx. */
async function signedInVisitor(): Promise<Visitor> {
  const visitor = new Visitor(stack.url);
  const form = await visitor.get('/login');
  const reply = await visitor.post('/login', {
    _csrf: hiddenField(form.body, '_csrf'),
    email: stack.admin.email,
    password: stack.admin.password,
  });
  if (reply.status !== 303) throw new Error(`signing in answered ${reply.status}`);
  return visitor;
}
