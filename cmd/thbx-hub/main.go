// Command thbx-hub is the Rapporteur's hub. Run 'thbx-hub help' for its
// commands; 'thbx-hub demo' runs the whole flow locally.
package main

import (
	"os"

	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/cmd/internal/hubcli"
)

func main() { os.Exit(hubcli.Main(os.Args[1:], cli.OSEnv())) }
