// Package cli is the plumbing the thbx commands share: subcommand
// dispatch, usage text, exit codes (1 for failures, 2 for usage errors),
// errors on stderr as "prog: message", and the version from the build.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// Env is a command's world: its streams and environment, so tests can run
// a command in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// OSEnv is the process's own environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Usage is the text after "usage: prog name", then examples.
	Usage string
	Run   func(ctx context.Context, env Env, args []string) error
}

// UsageError is a mistake in how the command was called: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Main dispatches args[0] to a command and returns the exit status.
func Main(prog, about string, cmds []Command, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "%s: %s\n\nusage: %s <command> [flags]\n\ncommands:\n", prog, about, prog)
		for _, c := range cmds {
			fmt.Fprintf(w, "  %-14s %s\n", c.Name, c.Summary)
		}
		fmt.Fprintf(w, "  %-14s %s\n\nRun '%s <command> -h' for a command's flags and examples.\n", "version", "print the version", prog)
	}
	if len(args) == 0 {
		usage(env.Stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(env.Stdout)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintf(env.Stdout, "%s %s\n", prog, Version())
		return 0
	}
	for _, c := range cmds {
		if c.Name != args[0] {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err := c.Run(ctx, env, args[1:])
		var ue *UsageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(env.Stderr, "%s %s: %s\nusage: %s %s %s\n", prog, c.Name, ue.Msg, prog, c.Name, firstLine(c.Usage))
			return 2
		default:
			// Joined errors print one a line, indented under the first.
			msg := strings.ReplaceAll(err.Error(), "\n", "\n  ")
			fmt.Fprintf(env.Stderr, "%s: %s\n", prog, msg)
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "%s: unknown command %q; run '%s help' for the list\n", prog, args[0], prog)
	return 2
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// FlagSet is a command's flags; -h prints the command's usage, flags and
// examples to stdout, once.
type FlagSet struct {
	*flag.FlagSet
	help func()
}

// Flags returns the FlagSet of a command.
func Flags(prog string, c *Command, env Env) *FlagSet {
	fs := flag.NewFlagSet(prog+" "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on every parse error; the help is
	// printed by Parse, for -h only.
	fs.Usage = func() {}
	help := func() {
		w := env.Stdout
		fmt.Fprintf(w, "usage: %s %s %s\n", prog, c.Name, c.Usage)
		fs.SetOutput(w)
		fmt.Fprintln(w, "\nflags:")
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return &FlagSet{FlagSet: fs, help: help}
}

// Parse parses flags, turning a bad flag into a UsageError; with
// positional, it also refuses more arguments than that.
func Parse(fs *FlagSet, args []string, positional ...int) error {
	if err := fs.FlagSet.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return err
		}
		return &UsageError{Msg: err.Error()}
	}
	if len(positional) > 0 && fs.NArg() > positional[0] {
		return &UsageError{Msg: fmt.Sprintf("unexpected argument %q", fs.Arg(positional[0]))}
	}
	return nil
}

// Version is the module version from the build info, or "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// IsTerminal reports whether w is a terminal, for progress output.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
