// Scenario: the process stays alive but never calls listen().
import net from 'node:net';

net.createServer(() => {});
setInterval(() => {}, 1000);
console.log('ready (but not listening)');
