import { createLogger, PinoNestLogger, prettyLine } from './logger';

/** A logger whose lines are collected, as the terminal would receive them. */
function capture(format: 'json' | 'pretty', level = 'info') {
  const lines: string[] = [];
  const logger = createLogger(level, 'api', format, { write: (l: string) => lines.push(l) });
  return { logger, lines };
}

describe('logs: LOG_FORMAT=pretty and the quiet start (issue 13, item 10)', () => {
  it('pretty writes one short line per record: time, level, service, context and message', () => {
    const { logger, lines } = capture('pretty');
    new PinoNestLogger(logger).log('local SMTP server on 127.0.0.1:2525; messages at /dev/mail', 'DevMail');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}api {5}DevMail: local SMTP server on 127\.0\.0\.1:2525; messages at \/dev\/mail\n$/);
    expect(lines[0]).not.toContain('{');
  });

  it('pretty shows a request as method, URL, status and duration, and keeps the other fields as key=value', () => {
    const line = prettyLine(
      JSON.stringify({ level: 'info', time: '2026-12-01T11:35:49.000Z', service: 'api', req: { id: 'x', method: 'GET', url: '/api/me' }, res: { statusCode: 200 }, responseTime: 12, msg: 'request completed' }),
    );
    expect(line).toMatch(/^\d\d:\d\d:\d\d INFO {2}api {5}GET \/api\/me 200 12 ms\n$/);
    expect(prettyLine(JSON.stringify({ level: 'warn', service: 'worker', msg: 'retry', attempt: 2, queue: 'render' }))).toMatch(/WARN {2}worker {2}retry attempt=2 queue=render\n$/);
  });

  it('pretty redacts as JSON does: it only lays out what pino already censored', () => {
    const { logger, lines } = capture('pretty');
    logger.info({ password: 'hunter2-secret', user: { token: 'abcdef' } }, 'login');
    expect(lines[0]).not.toMatch(/hunter2|abcdef/);
    expect(lines[0]).toContain('password=[masqué]');
  });

  it('an error keeps its class, message and stack, indented under the line', () => {
    const { logger, lines } = capture('pretty');
    logger.error({ err: new TypeError('boom') }, 'failed');
    const [first, ...stack] = lines[0].trimEnd().split('\n');
    expect(first).toMatch(/ERROR api {5}failed \(TypeError: boom\)$/);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack[0]).toMatch(/^ {4}at /);
  });

  it('Nest start-up chatter (modules, routes) is debug; the application’s own messages stay info', () => {
    const { logger, lines } = capture('json');
    const nest = new PinoNestLogger(logger);
    nest.log('ConfigModule dependencies initialized', 'InstanceLoader');
    nest.log('Mapped {/api/me, GET} route', 'RouterExplorer');
    nest.log('HealthController {/health}:', 'RoutesResolver');
    nest.log('Starting Nest application...', 'NestFactory');
    nest.log('Nest application successfully started', 'NestApplication');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['Nest application successfully started']);
    const debug = capture('json', 'debug');
    new PinoNestLogger(debug.logger).log('ConfigModule dependencies initialized', 'InstanceLoader');
    expect(JSON.parse(debug.lines[0])).toMatchObject({ level: 'debug', context: 'InstanceLoader' });
  });

  it('json stays one JSON object per line', () => {
    const { logger, lines } = capture('json');
    logger.info({ n: 1 }, 'x');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', service: 'api', msg: 'x', n: 1 });
  });
});
