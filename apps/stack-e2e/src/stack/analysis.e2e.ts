import { AnalysisPageSchema, AnalysisSchema, COCO_KEYPOINT_NAMES, UPLOAD_FIELD, type Analysis } from '@posestack/api-contracts';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { backendAuth, given, itWhen, missing, state } from '../support/stack-test';

const { urls } = state;
// A unique name, so the page and the list can be searched for this very upload on a shared running stack.
const uploadName = `e2e-${randomBytes(4).toString('hex')}-${state.imagePath ? basename(state.imagePath) : 'photo.png'}`;
const noPhoto = state.imagePath ? undefined : 'no photograph: set E2E_IMAGE or run npm run setup (scikit-image astronaut.png)';
let analysis: Analysis | undefined;

function requireAnalysis(): Analysis {
  if (!analysis) throw new Error('the upload test did not produce an analysis (see the first failure)');
  return analysis;
}

describe('an image analysis end to end', () => {
  afterAll(async () => {
    // A running stack given by URLs keeps its data; only our own analysis is removed from it.
    if (state.mode === 'external' && analysis && urls.backend) {
      await fetch(`${urls.backend}/api/analyses/${analysis.id}`, { method: 'DELETE', headers: backendAuth() }).catch(() => undefined);
    }
  });

  itWhen(missing({ backend: urls.backend }) ?? noPhoto, 'POST /api/analyses analyses a photograph of a person', async () => {
    const form = new FormData();
    form.append(UPLOAD_FIELD, new Blob([readFileSync(given(state.imagePath, 'E2E_IMAGE'))], { type: 'image/png' }), uploadName);
    const started = Date.now();
    const response = await fetch(`${urls.backend}/api/analyses`, { method: 'POST', body: form, headers: backendAuth() });
    const body = await response.json();
    expect([200, 201]).toContain(response.status);
    analysis = AnalysisSchema.parse(body);
    console.log(`analysis ${analysis.id}: ${analysis.status} in ${Date.now() - started} ms (${JSON.stringify(analysis.timings)})`);
    expect(analysis).toMatchObject({ kind: 'image', status: 'done' });
    expect(analysis.media.filename).toBe(uploadName);
    const people = analysis.kind === 'image' ? (analysis.result?.people ?? []) : [];
    expect(people.length).toBeGreaterThanOrEqual(1);
    const best = [...people].sort((a, b) => b.score - a.score)[0];
    expect(best.keypoints.map((keypoint) => keypoint.name)).toEqual([...COCO_KEYPOINT_NAMES]);
  });

  itWhen(missing({ backend: urls.backend, mongo: urls.mongo }) ?? noPhoto, 'the analysis is stored in MongoDB', async () => {
    const { id } = requireAnalysis();
    const client = new MongoClient(given(urls.mongo, 'MONGO_URL'), { serverSelectionTimeoutMS: 10_000 });
    try {
      const collection = client.db(state.mongoDb).collection(state.analysesCollection);
      const stored = (await collection.findOne({ _id: new ObjectId(id) })) ?? (await collection.findOne({ _id: id as never }));
      expect(stored).not.toBeNull();
      expect(stored).toMatchObject({ kind: 'image', status: 'done' });
      expect(JSON.stringify(stored)).toContain(uploadName);
    } finally {
      await client.close();
    }
  });

  itWhen(missing({ backend: urls.backend }) ?? noPhoto, 'the API lists it, returns it by id, and serves its media', async () => {
    const { id, media } = requireAnalysis();
    const page = AnalysisPageSchema.parse(await (await fetch(`${urls.backend}/api/analyses?page=1&pageSize=100`, { headers: backendAuth() })).json());
    expect(page.items.map((item) => item.id)).toContain(id);
    const one = AnalysisSchema.parse(await (await fetch(`${urls.backend}/api/analyses/${id}`, { headers: backendAuth() })).json());
    expect(one.id).toBe(id);
    const file = await fetch(new URL(media.mediaUrl, urls.backend), { headers: backendAuth() });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(readFileSync(given(state.imagePath, 'E2E_IMAGE')))).toBe(true);
  });

  itWhen(missing({ backend: urls.backend, frontend: urls.frontend }) ?? noPhoto, 'the page proxies /api and lists it', async () => {
    const { id } = requireAnalysis();
    // A script's bearer token passes through the page's proxy as well as a signed-in browser's cookie does.
    const page = AnalysisPageSchema.parse(await (await fetch(`${urls.frontend}/api/analyses?page=1&pageSize=100`, { headers: backendAuth() })).json());
    expect(page.items.map((item) => item.id)).toContain(id);
    const html = await fetch(`${urls.frontend}/`);
    expect(html.status).toBe(200);
  });

  itWhen(
    missing({ backend: urls.backend, frontend: urls.frontend }) ??
      noPhoto ??
      (state.chromiumPath ? undefined : 'Chromium not installed at /usr/bin/chromium (CHROMIUM_PATH); npm run setup installs it') ??
      (state.pageUser ? undefined : 'no user to sign in as (E2E_USERNAME/E2E_PASSWORD)'),
    'the page shows it in a real browser (Chromium via playwright-core)',
    async () => {
      const { id } = requireAnalysis();
      const { chromium } = await import('playwright-core');
      // As root in a container Chromium needs --no-sandbox; there is no GPU for it here.
      const browser = await chromium.launch({ executablePath: state.chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage();
        const listed = page.waitForResponse((response) => response.url().includes('/api/analyses') && response.ok());
        await page.goto(given(urls.frontend, 'FRONTEND_URL'));
        const user = given(state.pageUser, 'E2E_USERNAME');
        await page.getByLabel('User name').fill(user.username);
        await page.getByLabel('Password').fill(user.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        expect(JSON.stringify(await (await listed).json())).toContain(id);
        await page.getByText(uploadName, { exact: false }).first().waitFor({ state: 'visible', timeout: 30_000 });
      } finally {
        await browser.close();
      }
    },
  );
});
