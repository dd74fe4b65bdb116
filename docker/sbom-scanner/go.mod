module posestack/sbom-scanner

go 1.26
