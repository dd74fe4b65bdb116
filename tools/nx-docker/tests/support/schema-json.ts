import { readFileSync, writeFileSync } from 'node:fs';

/** The test every executor has: its schema.json is what its zod schema generates (UPDATE_SCHEMA=1 rewrites it). */
export function itIsGeneratedFromZod(schemaPath: string, generate: () => Record<string, unknown>): void {
  it('is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(generate(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaPath, generated);
    expect(readFileSync(schemaPath, 'utf8')).toBe(generated);
  });
}
