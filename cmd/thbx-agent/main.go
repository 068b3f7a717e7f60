// Command thbx-agent seals a partner's THB data and sends it to the
// Rapporteur's hub. Run 'thbx-agent help' for its commands.
package main

import (
	"os"

	"github.com/thbx/thbx/cmd/internal/agentcli"
	"github.com/thbx/thbx/cmd/internal/cli"
)

func main() { os.Exit(agentcli.Main(os.Args[1:], cli.OSEnv())) }
