// Package configs embeds the YAML configuration shipped with the project:
// base.yaml (every default of the method, reference values), the size
// profiles, and one sweep file per table under tables/. The files on disk are
// the source of truth; the embedded copy lets the binary run from anywhere.
package configs

import "embed"

// FS holds every file of this folder.
//
//go:embed *
var FS embed.FS
