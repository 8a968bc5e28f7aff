//go:build tools

// Package tools records the command this module builds: kubo's ipfs.
package tools

import _ "github.com/ipfs/kubo/cmd/ipfs"
