/**
 * `npm run serve`: run your own server by hand, the way the capstone wants it — serving the
 * course's website (or any folder) on port 8000 — with its output straight in your terminal.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath, REPO_ROOT, SITE_DIR } from '../core/paths.ts';
import { onShutdown } from '../core/shutdown.ts';
import { messages } from '../messages.ts';
import { style } from '../ui/style.ts';
import { ownServer, UsageError, type Command } from './command.ts';

export const serve: Command = {
  summary: 'Run your server on port 8000, serving this course\'s website (or another folder)',
  usage: 'npm run serve [N] [-- --root folder --port 8000]',
  options: {
    root: { type: 'string', description: 'the folder to serve (default: the course\'s site/)' },
    port: { type: 'string', description: 'the port to listen on (default 8000)' },
  },
  async run({ positionals, values }) {
    const own = ownServer(positionals[0]);
    if (!own) return 1;
    const { stage, entry } = own;
    const root = path.resolve(String(values.root ?? SITE_DIR));
    if (!existsSync(root)) throw new UsageError(messages.badOption(`The folder ${root} does not exist`));
    const port = String(values.port ?? '8000');
    if (!/^\d{1,5}$/.test(port)) throw new UsageError(messages.badOption(`--port takes a port number, not "${port}"`));

    console.log(messages.serving(stage.id, displayPath(entry), displayPath(root), `http://127.0.0.1:${port}/`));
    console.log(style.dim('Your server\'s output follows. Press Ctrl-C to stop it.\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: REPO_ROOT, env: { ...process.env, PORT: port, ROOT: root }, stdio: 'inherit' });
    onShutdown(() => child.kill('SIGTERM'));
    return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  },
};
