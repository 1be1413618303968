// Scenario: the process ends with an error before it ever listens.
console.log('starting up…');
console.error('Could not read config.json');
process.exit(3);
