import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingCommandReason } from '@posestack/test-stack';

/**
 * Why arm64 builds cannot run here, or undefined when they can: the kernel must hand aarch64 binaries to
 * Debian's qemu-user-static through binfmt_misc, with the F flag (the interpreter opened at registration, so it
 * also works inside a build container's root). tools/scripts/setup.sh registers it where it may.
 */
export function arm64EmulationSkipReason(): string | undefined {
  let entry: string;
  try {
    entry = readFileSync('/proc/sys/fs/binfmt_misc/qemu-aarch64', 'utf8');
  } catch {
    return 'no binfmt_misc entry qemu-aarch64 (install qemu-user-static and binfmt-support, mount binfmt_misc; tools/scripts/setup.sh does as root)';
  }
  if (!/^enabled$/m.test(entry)) return 'the binfmt_misc entry qemu-aarch64 is disabled (update-binfmts --enable qemu-aarch64)';
  if (!/^flags: .*F/m.test(entry)) return 'the binfmt_misc entry qemu-aarch64 lacks the F flag, so build containers cannot reach the interpreter';
  return missingCommandReason('go', 'the fixture images carry a tiny static Go program built for each platform');
}

/**
 * A static program for `linux/<arch>`: with a path argument it writes "built on <arch>" there; it always prints
 * the architecture it runs on and what /built.txt says. Written to `<dir>/hello-<arch>` for each arch.
 */
export async function buildHelloPrograms(dir: string, arches: readonly string[]): Promise<void> {
  const source = join(dir, 'hello.go');
  const program = [
    'package main',
    'import ("fmt"; "os"; "runtime")',
    'func main() {',
    '  if len(os.Args) > 1 { _ = os.WriteFile(os.Args[1], []byte("built on "+runtime.GOARCH), 0o644) }',
    '  built, _ := os.ReadFile("/built.txt")',
    '  fmt.Printf("running on %s, %s\\n", runtime.GOARCH, built)',
    '}',
  ].join('\n');
  writeFileSync(source, `${program}\n`);
  for (const arch of arches) {
    await execa('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', join(dir, `hello-${arch}`), source], {
      env: { GOOS: 'linux', GOARCH: arch, CGO_ENABLED: '0' },
    });
  }
}
