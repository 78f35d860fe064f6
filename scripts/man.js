#!/usr/bin/env node
/**
 * Writes man/actgrad.1 (listed in package.json's "man") from the compiled registry, flags and
 * commander program, after tsc (npm run build). The text comes from src/cli/man.ts; the file is
 * generated, not kept in git, so it cannot fall behind the registry.
 */
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist', 'cli');
const { manPage } = require(join(dist, 'man.js'));
const { buildProgram } = require(join(dist, 'program.js'));
const dir = join(__dirname, '..', 'man');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'actgrad.1'), manPage(buildProgram));
