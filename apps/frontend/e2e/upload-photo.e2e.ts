/**
 * Browser test against the real stack: Debian's Chromium (driven by playwright-core) loads the built page
 * from the frontend server, uploads a photograph of a person, waits for backend-api + pose-service, and
 * checks the overlay: 17 COCO keypoints for that person, a canvas sized for devicePixelRatio 2 with marks
 * drawn on it, a hover tooltip on the nose, the analysis in the list, and delete. Screenshot and service
 * logs go to dist/test-artifacts/frontend/.
 *
 * node:test rather than Jest: it can skip at run time with a reason (a missing piece of the stack is a
 * skip, not a failure), and the test needs no jsdom or module mocking.
 */
import { COCO_KEYPOINT_NAMES } from '@posestack/api-contracts';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { computeContainFit, mediaToCss } from '../src/features/pose-overlay/fit-geometry';
import { resolvePhoto } from './stack/photo-fixture';
import { startStack } from './stack/start-stack';

const workspaceRoot = resolve(__dirname, '../../..');
const artifactDir = join(workspaceRoot, 'dist/test-artifacts/frontend');
const screenshotPath = join(artifactDir, 'upload-photo.png');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULT_TIMEOUT_MS = 180_000;

function skip(t: { skip(message?: string): void }, reason: string): void {
  console.log(`SKIP frontend e2e: ${reason}`);
  t.skip(reason);
}

test('uploads a photo of a person and draws 17 keypoints over it', { timeout: 600_000 }, async (t) => {
  if (!existsSync(chromiumPath)) {
    skip(t, `no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
    return;
  }
  mkdirSync(artifactDir, { recursive: true });
  const photo = resolvePhoto(workspaceRoot, artifactDir, process.env);
  if ('skipReason' in photo) {
    skip(t, photo.skipReason);
    return;
  }
  const stack = await startStack({ workspaceRoot, logDir: join(artifactDir, 'logs') }, process.env);
  if ('skipReason' in stack) {
    skip(t, stack.skipReason);
    return;
  }

  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    // Scale factor 2 exercises the devicePixelRatio path of the overlay.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(stack.frontendUrl);
    await page.getByLabel('Choose a photo or video').setInputFiles(photo.path);

    // Done, failed or an error message: a broken upload or job fails here with the page's own words
    // instead of a bare timeout.
    const viewer = page.locator('[data-testid="analysis-viewer"]');
    await page
      .locator('[data-testid="analysis-viewer"]:is([data-status="done"], [data-status="failed"]), [role="alert"]')
      .first()
      .waitFor({ timeout: RESULT_TIMEOUT_MS });
    const alerts = await page.locator('[role="alert"]').allInnerTexts();
    assert.deepEqual(alerts, [], 'the page shows no error');
    assert.equal(await viewer.getAttribute('data-status'), 'done');

    const overlay = page.locator('[data-testid="pose-overlay"][data-ready="true"]');
    await overlay.waitFor();
    const peopleCount = Number(await overlay.getAttribute('data-people-count'));
    assert.ok(peopleCount >= 1, `expected at least one person, the overlay lists ${peopleCount}`);

    const person = page.locator('table[data-person]').first();
    assert.equal(await person.getAttribute('data-keypoint-count'), '17');
    const names = await person.locator('tr[data-keypoint]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-keypoint')));
    assert.deepEqual(names, [...COCO_KEYPOINT_NAMES]);

    await assertCanvasDrawn(page);
    await assertNoseTooltip(page);

    const id = new URL(page.url()).searchParams.get('analysis');
    assert.ok(id, 'the page URL names the open analysis');
    const row = page.locator(`[data-testid="analyses-list"] li[data-analysis-id="${id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'done');

    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`screenshot: ${screenshotPath}`);

    // Delete through the UI, which also leaves a shared backend as it was.
    const filename = basename(photo.path);
    await row.getByRole('button', { name: `Delete ${filename}` }).click();
    await row.getByRole('button', { name: `Confirm deleting ${filename}` }).click();
    await row.waitFor({ state: 'detached' });
    await page.locator('[data-testid="analysis-viewer"]').waitFor({ state: 'detached' });

    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
    await stack.stop();
  }
});

/** The backing store follows CSS size x devicePixelRatio, and the skeleton really was painted. */
async function assertCanvasDrawn(page: Page): Promise<void> {
  const canvas = await page.locator('.pose-stage__canvas').evaluate((element) => {
    const node = element as HTMLCanvasElement;
    const pixels = node.getContext('2d')?.getImageData(0, 0, node.width, node.height).data ?? new Uint8ClampedArray();
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    return { width: node.width, height: node.height, cssWidth: node.clientWidth, cssHeight: node.clientHeight, ratio: window.devicePixelRatio, painted };
  });
  assert.equal(canvas.ratio, 2);
  assert.equal(canvas.width, Math.floor(canvas.cssWidth * 2));
  assert.equal(canvas.height, Math.floor(canvas.cssHeight * 2));
  assert.ok(canvas.painted > 500, `expected skeleton pixels on the canvas, found ${canvas.painted}`);
}

/** Hovering where the letterboxed nose is shows its name: drawing maths and hit-testing agree in the page. */
async function assertNoseTooltip(page: Page): Promise<void> {
  const stage = page.locator('[data-testid="pose-overlay"]');
  const image = await stage.locator('img').evaluate((img) => ({ width: (img as HTMLImageElement).naturalWidth, height: (img as HTMLImageElement).naturalHeight }));
  const box = await stage.boundingBox();
  assert.ok(box, 'the overlay is laid out');
  const nose = page.locator('table[data-person]').first().locator('tr[data-keypoint="nose"]');
  const [x, y] = await Promise.all([nose.getAttribute('data-x'), nose.getAttribute('data-y')]).then((values) => values.map(Number));
  const at = mediaToCss({ x, y }, computeContainFit(image, box));
  await page.mouse.move(box.x + at.x, box.y + at.y);
  const tooltip = page.getByRole('tooltip');
  await tooltip.waitFor();
  assert.match(await tooltip.innerText(), /nose/);
}
