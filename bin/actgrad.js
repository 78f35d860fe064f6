#!/usr/bin/env node
'use strict';
require('../dist/cli/load.js').start();
