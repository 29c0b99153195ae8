import { COMMANDS } from './command-registry';

describe('the CLI command registry', () => {
  it('names each command as the command names itself, once', async () => {
    const names = COMMANDS.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const [name, load] of COMMANDS) expect((await load()).name).toBe(name);
  });
});
