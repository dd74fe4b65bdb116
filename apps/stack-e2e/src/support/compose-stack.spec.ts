import { composeArgs, createComposeProject, parsePortLine, serviceUrls } from './compose-stack';

describe('compose-stack', () => {
  const project = createComposeProject({ files: ['a.yml', 'b.yml'], cwd: '/w', tag: 'latest', secretsDir: '/s', suffix: 'abcd' });

  it('names the project uniquely and publishes every port on a free host port', () => {
    expect(project.name).toBe('posestack-e2e-abcd');
    expect(project.env).toMatchObject({ FRONTEND_PORT: '0', MONGO_PORT: '0', PUBLISH_IP: '127.0.0.1' });
    expect(project.env).toMatchObject({ POSESTACK_SECRETS_DIR: '/s', COMPOSE_PROFILES: 'admin' });
    expect(project.env.ME_COOKIE_SECRET).toMatch(/^[0-9a-f]{32}$/);
  });

  it('builds the compose argument array in order', () => {
    expect(composeArgs(project, 'up', '--wait')).toEqual([
      'compose', '--project-name', 'posestack-e2e-abcd', '--file', 'a.yml', '--file', 'b.yml', 'up', '--wait',
    ]);
  });

  it('parses docker compose port output', () => {
    expect(parsePortLine('127.0.0.1:49153\n')).toEqual({ host: '127.0.0.1', port: 49153 });
    expect(parsePortLine('0.0.0.0:5000')).toEqual({ host: '127.0.0.1', port: 5000 });
    expect(parsePortLine('[::]:8081')).toEqual({ host: '127.0.0.1', port: 8081 });
    expect(() => parsePortLine('')).toThrow(/unexpected 'docker compose port' output/);
  });

  it('derives every service URL', () => {
    const at = (port: number) => ({ host: '127.0.0.1', port });
    expect(
      serviceUrls({ 'pose-service': at(1), 'backend-api': at(2), frontend: at(3), mongodb: at(4), 'mongo-express': at(5) }),
    ).toEqual({
      poseService: 'http://127.0.0.1:1',
      backend: 'http://127.0.0.1:2',
      frontend: 'http://127.0.0.1:3',
      mongo: 'mongodb://127.0.0.1:4/',
      mongoExpress: 'http://127.0.0.1:5',
    });
  });
});
