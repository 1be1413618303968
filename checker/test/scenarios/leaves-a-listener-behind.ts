// Scenario: hands the listening to a process of its own, started outside its process group
// (detached), which then outlives the server when the checker stops it.
import { spawn } from 'node:child_process';

const port = Number(process.env.PORT ?? 8000);
const listener = `require('node:net').createServer((socket) => { socket.on('error', () => {}); socket.end('Hello!\\n'); }).listen(${port}, () => console.log('serving at port ${port}'));`;
spawn(process.execPath, ['-e', listener], { detached: true, stdio: 'inherit' }).unref();
setInterval(() => {}, 1000);
