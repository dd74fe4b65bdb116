import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BuildResult } from './run-plan';

/** dist/docker/<project>/image.json: the task's cached output, read by people and scripts. */
export interface ImageJson extends BuildResult {
  project: string;
  image: string;
  tags: string[];
  contentKey: string;
  contentTag: string;
  bases: { contextName: string; project: string; imageRef: string; source: string }[];
  upstream: string[];
  buildxVersion: string;
}

export function writeImageJson(path: string, data: ImageJson): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
