// latch-login demo: serves www/ and pkg/ and runs a local OpenID provider.
//
//   node www/demo.mjs
//
// Ports: LATCH_WEB_PORT (default 8080) and LATCH_OP_PORT (default 3000).
// The page reads the provider's issuer from /demo-config.json.

import { startServers } from '../tests/support/servers.mjs';

const webPort = Number(process.env.LATCH_WEB_PORT || 8080);
const opPort = Number(process.env.LATCH_OP_PORT || 3000);

let servers;
try {
  servers = await startServers({ webPort, opPort });
} catch (error) {
  console.error(`latch-login demo: could not start the servers: ${error.message}`);
  if (error.code === 'EADDRINUSE') {
    console.error('Set LATCH_WEB_PORT and/or LATCH_OP_PORT to use other ports.');
  }
  process.exit(1);
}

const { webUrl, issuer, close } = servers;
console.log(`latch-login demo: open ${webUrl}/  (sign in with any user name, e.g. alice, and any password)`);
console.log(`OpenID provider (issuer): ${issuer}`);
console.log('Press Ctrl+C to stop.');

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\nlatch-login demo: ${signal} received, stopping.`);
  try {
    await close();
  } finally {
    process.exit(0);
  }
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
