#!/usr/bin/env node
/**
 * Writes dist/functions/registry-index.json: every accepted name → [family module, export], made
 * from the compiled registry after tsc. A run then loads only the family module of the function it
 * computes (see src/functions/lookup.ts) instead of all of them.
 */
'use strict';
const { readdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = join(__dirname, '..', 'dist', 'functions');
const { registry, namesOf } = require(join(dir, 'registry.js'));
const where = new Map();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'registry.js' && f !== 'lookup.js')) {
  const mod = require(join(dir, file));
  for (const [key, value] of Object.entries(mod)) if (registry.includes(value)) where.set(value, [file.replace(/\.js$/, ''), key]);
}
const index = {};
for (const d of registry) {
  const place = where.get(d);
  if (!place) throw new Error(`registry-index: no module exports ${d.name}`);
  for (const name of namesOf(d)) index[name] = place;
}
writeFileSync(join(dir, 'registry-index.json'), `${JSON.stringify(index)}\n`);
