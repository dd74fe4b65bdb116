/**
 * Browser tests against the real stack: Debian's Chromium (driven by playwright-core) loads the built page
 * from the frontend server, uploads media, waits for backend-api + pose-service and checks the overlay.
 * Photo: 17 COCO keypoints for the person, a canvas sized for devicePixelRatio 2 with marks drawn on it, a
 * hover tooltip on the nose, the analysis in the list, delete. Video: the overlay follows the playing frame.
 * Model picker: lists what pose-service has loaded. 3D view and joint-angle plots: a 2D model says so; a BlazePose
 * result (seeded from a constructed fixture, and from the real service once it loads blazepose-lite) draws each
 * person in WebGL (pixel check per person's colour), follows the video, and plots one series per joint angle.
 * Screenshots and service logs go to dist/test-artifacts/frontend/.
 *
 * node:test rather than Jest: it can skip at run time with a reason (a missing piece of the stack is a
 * skip, not a failure), and the test needs no jsdom or module mocking.
 */
import { COCO_KEYPOINT_NAMES, JOINT_ANGLES, PoseModelListSchema, type PoseModel } from '@posestack/api-contracts';
import { workspaceRoot } from '@posestack/test-stack';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { computeContainFit, projectToCss } from '../src/features/pose-overlay/fit-geometry';
import { resolvePhoto, resolveVideo } from './stack/media-fixtures';
import { seedVideoAnalysis } from './stack/seed-analysis';
import { startStack, type Credentials } from './stack/start-stack';

const artifactDir = join(workspaceRoot, 'dist/test-artifacts/frontend');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULT_TIMEOUT_MS = 180_000;
const BLAZEPOSE_FIXTURE = join(__dirname, 'fixtures/blazepose-two-people.json');

function skip(t: TestContext, reason: string): void {
  console.log(`SKIP frontend e2e: ${reason}`);
  t.skip(reason);
}

describe('frontend in a real browser', { timeout: 600_000 }, () => {
  let setup:
    | { browser: Browser; frontendUrl: string; credentials: Credentials; isFreshBackend: boolean; mongoUrl: string | undefined; models: PoseModel[]; stop(): Promise<void> }
    | { skipReason: string };

  before(async () => {
    if (!existsSync(chromiumPath)) {
      setup = { skipReason: `no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH` };
      return;
    }
    mkdirSync(artifactDir, { recursive: true });
    const stack = await startStack({ logDir: join(artifactDir, 'logs') }, process.env);
    if ('skipReason' in stack) {
      setup = stack;
      return;
    }
    try {
      // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. Without a GPU, WebGL (the 3D
      // view) needs the software rasteriser, which Chromium now enables only when asked.
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader'],
      });
      const models = PoseModelListSchema.parse(await (await fetch(`${stack.frontendUrl}/api/models`, { headers: await sessionCookie(stack.frontendUrl, stack.credentials) })).json()).models;
      console.log(`pose-service models: ${models.map((m) => `${m.name} (${m.kind})`).join(', ')}`);
      setup = { browser, frontendUrl: stack.frontendUrl, credentials: stack.credentials, isFreshBackend: stack.isFreshBackend, mongoUrl: stack.mongoUrl, models, stop: stack.stop };
    } catch (error) {
      await stack.stop();
      throw error;
    }
  });

  after(async () => {
    if (setup && 'browser' in setup) {
      await setup.browser.close();
      await setup.stop();
    }
  });

  /** A fresh page (scale factor 2 exercises devicePixelRatio) that fails the test on uncaught page errors. */
  async function openPage(t: TestContext, path = '/'): Promise<Page | undefined> {
    if ('skipReason' in setup) {
      skip(t, setup.skipReason);
      return undefined;
    }
    const page = await setup.browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    t.after(async () => {
      await page.close();
      assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
    });
    await page.goto(new URL(path, setup.frontendUrl).toString());
    await signIn(page, setup.credentials);
    return page;
  }

  test('asks for a sign-in first and refuses a wrong password', async (t) => {
    if ('skipReason' in setup) return skip(t, setup.skipReason);
    const page = await setup.browser.newPage();
    t.after(() => page.close());
    await page.goto(setup.frontendUrl);
    await page.getByLabel('User name').fill(setup.credentials.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Unknown user name or wrong password.' }).waitFor();
    assert.equal(await page.getByLabel('Choose a photo or video').count(), 0, 'nothing of the app before signing in');
    const cookies = await page.context().cookies();
    assert.equal(cookies.length, 0, 'no session cookie for a refused sign-in');
  });

  test('starts empty and explains files it cannot analyse', async (t) => {
    const page = await openPage(t);
    if (!page || 'skipReason' in setup) return;
    if (setup.isFreshBackend) await page.getByText('No analyses yet. Upload a photo or video to start.').waitFor();

    // Keyboard: the picker is a real, labelled input in the tab order (skip link, model field, then it).
    const input = page.getByLabel('Choose a photo or video');
    for (let presses = 0; presses < 5 && !(await input.evaluate((element) => element === document.activeElement)); presses++) {
      await page.keyboard.press('Tab');
    }
    assert.ok(await input.evaluate((element) => element === document.activeElement), 'Tab reaches the file picker');

    // Refused by the page itself: nothing is sent.
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    const localError = page.getByRole('alert').filter({ hasText: 'notes.txt is not a supported photo or video (text/plain).' });
    await localError.waitFor();
    await localError.getByRole('button', { name: 'Dismiss' }).click();

    // Refused by the backend: a PNG name and type over bytes that are not an image.
    await input.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('definitely not a PNG') });
    const serverError = page.getByRole('alert').filter({ hasText: 'Uploading broken.png failed' });
    await serverError.waitFor({ timeout: RESULT_TIMEOUT_MS });
    const [title, advice] = await serverError.locator('p').allInnerTexts();
    console.log(`backend refusal as shown: ${title} / ${advice}`);
    assert.ok(advice.length > 10, 'the error says what to do');
    assert.equal(await page.locator('[data-testid="analysis-viewer"]').count(), 0, 'no analysis opened for a refused upload');
  });

  test('uploads a photo of a person and draws 17 keypoints over it', async (t) => {
    const photo = resolvePhoto(artifactDir, process.env);
    if ('skipReason' in photo) return skip(t, photo.skipReason);
    const page = await openPage(t);
    if (!page) return;

    await uploadAndWaitForResult(page, photo.path);
    const person = page.locator('table[data-person]').first();
    assert.equal(await person.getAttribute('data-keypoint-count'), '17');
    const names = await person.locator('tr[data-keypoint]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-keypoint')));
    assert.deepEqual(names, [...COCO_KEYPOINT_NAMES]);

    await assertCanvasDrawn(page);
    await assertNoseTooltip(page);
    const notice = page.locator('[data-testid="skeleton-3d"][data-state="2d-only"]');
    assert.match(await notice.innerText(), /gives 2D keypoints only/);

    await findDoneListRow(page);
    await saveScreenshot(page, 'upload-photo.png');
    await deleteOpenAnalysis(page, basename(photo.path));
  });

  test('uploads a video and the overlay follows the playing frame', async (t) => {
    const video = resolveVideo(artifactDir, process.env);
    if ('skipReason' in video) return skip(t, video.skipReason);
    const page = await openPage(t);
    if (!page) return;

    await uploadAndWaitForResult(page, video.path);
    const noseAtStart = await seekAndReadNoseX(page, 0);
    const noseAtEnd = await seekAndReadNoseX(page, 1.85);
    // The clip pans 128 px to the right over 2 s, so the person moves left in the picture.
    assert.ok(noseAtStart - noseAtEnd > 60, `nose x should move left with the pan: ${noseAtStart} -> ${noseAtEnd}`);
    // MoveNet has no depth: angles from the image plane, still one series per joint angle.
    await assertAnglePlots(page, 1);
    await findDoneListRow(page);
    await saveScreenshot(page, 'upload-video.png');
    await deleteOpenAnalysis(page, basename(video.path));
  });

  test('the model picker offers the models pose-service has loaded', async (t) => {
    const page = await openPage(t);
    if (!page || 'skipReason' in setup) return;
    const picker = page.getByLabel('Pose model');
    await page.locator('select[data-models-phase="ready"]').waitFor();
    const options = await picker.locator('option').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    assert.deepEqual(options, ['', ...setup.models.map((m) => m.name)], 'server default first, then every loaded model');
  });

  test('a BlazePose result (constructed fixture): the 3D view draws both people and follows the video; one plot series per angle', async (t) => {
    const video = resolveVideo(artifactDir, process.env);
    if ('skipReason' in video) return skip(t, video.skipReason);
    if ('skipReason' in setup) return skip(t, setup.skipReason);
    if (!setup.mongoUrl) return skip(t, 'the backend was given by URL and MONGO_URL is not set, so there is no database to seed the fixture into');
    const seeded = seedVideoAnalysis(setup.mongoUrl, video.path, BLAZEPOSE_FIXTURE);
    const page = await openPage(t, `/?analysis=${seeded.id}`);
    if (!page) return;
    await page.locator('[data-testid="analysis-viewer"][data-status="done"]').waitFor();
    await page.locator('[data-testid="pose-overlay"][data-ready="true"]').waitFor();
    await assertThreeDViewFollowsVideo(page, 2);
    await assertAnglePlots(page, 2, true);
    await saveScreenshot(page, 'blazepose-fixture.png');
    await deleteOpenAnalysis(page, basename(video.path));
  });

  test('a real blazepose-lite analysis: 3D view and angle plots', async (t) => {
    if ('skipReason' in setup) return skip(t, setup.skipReason);
    if (!setup.models.some((m) => m.name === 'blazepose-lite')) {
      return skip(t, `pose-service does not list blazepose-lite in its models yet (it has ${setup.models.map((m) => m.name).join(', ')})`);
    }
    const video = resolveVideo(artifactDir, process.env);
    if ('skipReason' in video) return skip(t, video.skipReason);
    const page = await openPage(t);
    if (!page) return;
    await page.locator('select[data-models-phase="ready"]').waitFor();
    await page.getByLabel('Pose model').selectOption('blazepose-lite');
    await uploadAndWaitForResult(page, video.path);
    assert.match(await page.locator('.viewer__meta').innerText(), /model blazepose-lite/);
    await assertThreeDViewFollowsVideo(page, 1);
    await assertAnglePlots(page, 1);
    await saveScreenshot(page, 'blazepose-real.png');
    await deleteOpenAnalysis(page, basename(video.path));
  });
});

/** A session for requests the test makes itself: signed in through the page server, as the page does. */
async function sessionCookie(frontendUrl: string, credentials: Credentials): Promise<Record<string, string>> {
  const response = await fetch(`${frontendUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  assert.equal(response.status, 200, 'the e2e user signs in');
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] };
}

/** Signs in on the page; the session cookie must be HttpOnly and SameSite=Strict. */
async function signIn(page: Page, credentials: Credentials): Promise<void> {
  await page.getByLabel('User name').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('session-bar').waitFor();
  const [cookie] = await page.context().cookies();
  assert.equal(cookie?.name, 'posestack_session');
  assert.ok(cookie.httpOnly && cookie.sameSite === 'Strict', `session cookie flags: ${JSON.stringify({ ...cookie, value: '…' })}`);
  assert.equal(await page.evaluate(() => document.cookie), '', 'page scripts cannot read the session');
}

/** Uploads through the labelled file input and waits for a finished result with at least one person. */
async function uploadAndWaitForResult(page: Page, path: string): Promise<void> {
  await page.getByLabel('Choose a photo or video').setInputFiles(path);
  // Done, failed or an error message: a broken upload or job fails here with the page's own words.
  await page
    .locator('[data-testid="analysis-viewer"]:is([data-status="done"], [data-status="failed"]), [role="alert"]')
    .first()
    .waitFor({ timeout: RESULT_TIMEOUT_MS });
  assert.deepEqual(await page.locator('[role="alert"]').allInnerTexts(), [], 'the page shows no error');
  assert.equal(await page.locator('[data-testid="analysis-viewer"]').getAttribute('data-status'), 'done');
  const overlay = page.locator('[data-testid="pose-overlay"][data-ready="true"]');
  await overlay.waitFor();
  const peopleCount = Number(await overlay.getAttribute('data-people-count'));
  assert.ok(peopleCount >= 1, `expected at least one person, the overlay lists ${peopleCount}`);
}

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
  const at = projectToCss({ x, y }, computeContainFit(image, box));
  await page.mouse.move(box.x + at.x, box.y + at.y);
  const tooltip = page.getByRole('tooltip');
  await tooltip.waitFor();
  assert.match(await tooltip.innerText(), /nose/);
}

/** Seeks the paused video and waits until the page has had two animation frames to follow it. */
async function seekVideo(page: Page, timeS: number): Promise<void> {
  const video = page.locator('[data-testid="pose-overlay"] video');
  await video.evaluate(
    (element, time) =>
      new Promise<void>((resolve) => {
        const node = element as HTMLVideoElement;
        node.addEventListener('seeked', () => resolve(), { once: true });
        node.currentTime = time;
      }),
    timeS,
  );
  // The views follow the seeked event (or the frame callback) via React state: give them a rendered frame.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Seeks the paused video and returns the nose's x (media px) once the overlay shows that frame. */
async function seekAndReadNoseX(page: Page, timeS: number): Promise<number> {
  await seekVideo(page, timeS);
  const nose = page.locator('table[data-person]').first().locator('tr[data-keypoint="nose"]');
  await nose.waitFor({ state: 'attached' });
  return Number(await nose.getAttribute('data-x'));
}

/**
 * Pixels of the canvas whose hue is within 12° of each colour (saturated, not dark), read back from a 2D copy:
 * WebGL and 2D canvases alike. Shading changes lightness, not hue, so a lit 3D limb still counts as its colour.
 */
async function countPixelsByHue(canvas: Locator, colours: readonly string[]): Promise<number[]> {
  return canvas.evaluate((element, hexes) => {
    const source = element as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    if (!context) return hexes.map(() => 0);
    context.drawImage(source, 0, 0);
    const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
    const hueOf = (r: number, g: number, b: number) => {
      const max = Math.max(r, g, b);
      const delta = max - Math.min(r, g, b);
      if (delta === 0) return { hue: 0, saturation: 0, value: max / 255 };
      const sector = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
      return { hue: (sector * 60 + 360) % 360, saturation: delta / max, value: max / 255 };
    };
    const targets = hexes.map((hex) => hueOf(parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)).hue);
    const counts = hexes.map(() => 0);
    for (let i = 0; i < pixels.length; i += 4) {
      const { hue, saturation, value } = hueOf(pixels[i], pixels[i + 1], pixels[i + 2]);
      if (saturation < 0.45 || value < 0.25) continue;
      targets.forEach((target, index) => {
        const distance = Math.abs(hue - target);
        if (Math.min(distance, 360 - distance) <= 12) counts[index]++;
      });
    }
    return counts;
  }, colours);
}

/** The WebGL view draws every person in their track colour, and shows a new pose when the video moves on. */
async function assertThreeDViewFollowsVideo(page: Page, minPeople: number): Promise<void> {
  await seekVideo(page, 0.5);
  const view = page.locator('[data-testid="skeleton-3d"]');
  await page.locator('[data-testid="skeleton-3d"]:not([data-state="starting"])').waitFor();
  const state = await view.getAttribute('data-state');
  assert.equal(state, 'ready', `the 3D view should draw with WebGL, it is "${state}": ${await view.innerText()}`);
  const peopleCount = Number(await view.getAttribute('data-people-count'));
  assert.ok(peopleCount >= minPeople, `the 3D view should show at least ${minPeople} people at 0.5 s, it shows ${peopleCount}`);
  const colours = (await view.getAttribute('data-people-colours'))?.split(' ') ?? [];
  const canvas = view.locator('canvas');
  const counts = await countPixelsByHue(canvas, colours);
  console.log(`3D view at 0.5 s: pixels per person colour ${colours.map((c, i) => `${c}=${counts[i]}`).join(', ')}`);
  counts.forEach((count, i) => assert.ok(count > 300, `person ${i + 1} (${colours[i]}) should be drawn in the 3D view, found ${count} pixels`));

  const before = await canvas.evaluate((element) => (element as HTMLCanvasElement).toDataURL());
  await seekVideo(page, 1.25);
  await page.waitForFunction(
    (previous) => (document.querySelector('[data-testid="skeleton-3d"] canvas') as HTMLCanvasElement | null)?.toDataURL() !== previous,
    before,
  );
}

/**
 * At least `minTracks` uPlot charts, each with a legend entry per joint angle; with `isEveryJointSeen`, each
 * of the knee, elbow and hip colours is drawn too (a real photo may hide the legs: those series are gaps).
 */
async function assertAnglePlots(page: Page, minTracks: number, isEveryJointSeen = false): Promise<void> {
  const plots = page.locator('[data-testid="joint-angle-plot"]');
  await plots.first().locator('canvas').waitFor();
  const count = await plots.count();
  assert.ok(count >= minTracks, `expected at least ${minTracks} angle plots, found ${count}`);
  const expected = JOINT_ANGLES.map(({ name }) => name.replace('_', ' '));
  for (let i = 0; i < count; i++) {
    const plot = plots.nth(i);
    // uPlot's legend lists the x series first, then one row per data series.
    const labels = await plot.locator('.u-legend .u-series .u-label').allInnerTexts();
    assert.deepEqual(labels.slice(1), expected, `plot ${i + 1} has one series per joint angle`);
    if (!isEveryJointSeen) continue;
    const painted = await countPixelsByHue(plot.locator('canvas'), ['#0072B2', '#D55E00', '#009E73']);
    assert.ok(painted.every((n) => n > 50), `plot ${i + 1} draws knee, elbow and hip lines (pixels per hue: ${painted.join(', ')})`);
  }
}

/** The list row of the open analysis, once it shows the final status (the viewer refreshes the list). */
async function findDoneListRow(page: Page): Promise<Locator> {
  const id = new URL(page.url()).searchParams.get('analysis');
  assert.ok(id, 'the page URL names the open analysis');
  const row = page.locator(`[data-testid="analyses-list"] li[data-analysis-id="${id}"][data-status="done"]`);
  await row.waitFor();
  return row;
}

/** Deleting from the list closes the viewer; it also leaves a shared backend as it was. */
async function deleteOpenAnalysis(page: Page, filename: string): Promise<void> {
  const row = await findDoneListRow(page);
  await row.getByRole('button', { name: `Delete ${filename}` }).click();
  await row.getByRole('button', { name: `Confirm deleting ${filename}` }).click();
  await row.waitFor({ state: 'detached' });
  await page.locator('[data-testid="analysis-viewer"]').waitFor({ state: 'detached' });
}

async function saveScreenshot(page: Page, name: string): Promise<void> {
  const path = join(artifactDir, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}
