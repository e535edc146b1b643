#!/usr/bin/env node
// npm run verify:kernel [-- --break masquerade] [--backend iptables-nft|iptables-legacy|nftables]… [--junit FILE]
// The Linux kernel as judge of netspec's kube-proxy rules (src/verify). Linux only, needs root
// (CAP_NET_ADMIN + CAP_SYS_ADMIN); elsewhere it prints SKIP with the reason and exits 0.
'use strict';
const path = require('node:path');
require('./ts-cache.js');
const { verifyKernel, BREAKS } = require('../src/verify/index.ts');

function usage(msg) {
  console.error(`verify-kernel: ${msg}\nusage: verify-kernel.js [--break ${BREAKS.join('|')}] [--backend iptables-nft|iptables-legacy|nftables]… [--junit FILE]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const opts = { backends: undefined, break: undefined, junit: path.resolve(__dirname, '..', 'reports', 'kernel.xml') };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const val = () => { if (i + 1 >= args.length) usage(`${a} needs a value`); return args[++i]; };
  if (a === '--break') { const b = val(); if (!BREAKS.includes(b)) usage(`unknown --break ${b}`); opts.break = b; }
  else if (a === '--backend') { const b = val(); if (!['iptables-nft', 'iptables-legacy', 'nftables'].includes(b)) usage(`unknown --backend ${b}`); (opts.backends ??= []).push(b); }
  else if (a === '--junit') opts.junit = path.resolve(val());
  else usage(`unknown argument ${a}`);
}

verifyKernel(opts).then((r) => { process.exitCode = r.exitCode; }, (e) => { console.error(e && e.stack || e); process.exitCode = 1; });
