// Command thbx-keys is the security officers' tool for the hub's keys and
// the registry of trusted partners. Run 'thbx-keys help' for its commands.
package main

import (
	"os"

	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/cmd/internal/keyscli"
)

func main() { os.Exit(keyscli.Main(os.Args[1:], cli.OSEnv())) }
