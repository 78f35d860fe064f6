#!/usr/bin/env node
/**
 * Writes dist/functions/registry-index.json: every accepted name → [family module, export], made
 * from the compiled registry after tsc. A run then loads only the family module of the function it
 * computes (see src/functions/lookup.ts) instead of all of them.
 */
'use strict';
const { readdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const dir = join(__dirname, '..', 'dist', 'functions');
const { registry, namesOf } = require(join(dir, 'registry.js'));
const where = new Map();
const modules = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? modules(join(d, e.name)) : e.name.endsWith('.js') ? [join(d, e.name)] : []));
for (const file of modules(dir)) {
  const name = relative(dir, file).replace(/\.js$/, '');
  if (name === 'registry' || name === 'lookup' || name.endsWith('index')) continue;
  const mod = require(file);
  // The module that defines a descriptor, not one that only lists it.
  for (const [key, value] of Object.entries(mod)) if (registry.includes(value) && !where.has(value)) where.set(value, [name, key]);
}
const index = {};
for (const d of registry) {
  const place = where.get(d);
  if (!place) throw new Error(`registry-index: no module exports ${d.name}`);
  for (const name of namesOf(d)) index[name] = place;
}
writeFileSync(join(dir, 'registry-index.json'), `${JSON.stringify(index)}\n`);
