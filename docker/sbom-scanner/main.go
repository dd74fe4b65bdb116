// Command sbom-scan is the entrypoint of posestack/sbom-scanner: BuildKit's SBOM generator protocol
// (moby/buildkit docs/attestations/sbom-protocol.md) around syft. BuildKit mounts the build result at
// $BUILDKIT_SCAN_SOURCE (and other stages under $BUILDKIT_SCAN_SOURCE_EXTRAS); each is scanned with
// `syft scan dir:<root> -o spdx-json` and written to $BUILDKIT_SCAN_DESTINATION/<name>.spdx.json as an in-toto
// statement, the form BuildKit's unbundler reads (it fills in the subject: the image being attested).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

const syftPath = "/usr/local/bin/syft"

type statement struct {
	Type          string          `json:"_type"`
	PredicateType string          `json:"predicateType"`
	Subject       []any           `json:"subject"`
	Predicate     json.RawMessage `json:"predicate"`
}

func main() {
	destination := os.Getenv("BUILDKIT_SCAN_DESTINATION")
	source := os.Getenv("BUILDKIT_SCAN_SOURCE")
	if destination == "" || source == "" {
		fail(fmt.Errorf("BUILDKIT_SCAN_DESTINATION and BUILDKIT_SCAN_SOURCE must be set (this image is run by BuildKit as an SBOM generator: docker buildx build --sbom=generator=<this image>)"))
	}
	targets := []string{source}
	// Optional by the protocol: unset, empty or missing means no extras.
	if extras := os.Getenv("BUILDKIT_SCAN_SOURCE_EXTRAS"); extras != "" {
		if entries, err := os.ReadDir(extras); err == nil {
			for _, entry := range entries {
				targets = append(targets, filepath.Join(extras, entry.Name()))
			}
		}
	}
	for _, target := range targets {
		if err := scan(target, filepath.Join(destination, filepath.Base(target)+".spdx.json")); err != nil {
			fail(err)
		}
	}
}

func scan(root, out string) error {
	cmd := exec.Command(syftPath, "scan", "dir:"+root, "--output", "spdx-json", "--quiet")
	cmd.Stderr = os.Stderr
	spdx, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("syft scan of %s: %w", root, err)
	}
	data, err := json.Marshal(statement{
		Type:          "https://in-toto.io/Statement/v0.1",
		PredicateType: "https://spdx.dev/Document",
		Subject:       []any{},
		Predicate:     spdx,
	})
	if err != nil {
		return fmt.Errorf("wrapping the SBOM of %s: %w", root, err)
	}
	return os.WriteFile(out, data, 0o644)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sbom-scan:", err)
	os.Exit(1)
}
