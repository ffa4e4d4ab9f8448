#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { parseStage } from '../lib/config';

// Without credentials the CLI sets neither; fixed placeholders keep an offline `cdk synth` deterministic.
// With credentials (cdk deploy) the CLI's values win.
process.env.CDK_DEFAULT_ACCOUNT ??= '000000000000';
process.env.CDK_DEFAULT_REGION ??= 'us-east-1';

const app = new App();
// `cdk synth -c stage=prod`; dev when absent. parseStage refuses anything but the contract's STAGES.
const stage = parseStage(app.node.tryGetContext('stage') ?? 'dev');
buildApp(app, { stage });
